using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Customers;

namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>
/// A customer's answer to <see cref="CustomerWork"/> when it did more than apply every order it was sent.
/// <see cref="Snapshot"/> is set when it was asked for and when the customer passivated; <see cref="Unsaved"/> says that
/// the customer has changed since its last snapshot, which the next checkpoint asks for.
/// </summary>
public sealed record CustomerWorkDone(
    string CustomerId,
    IReadOnlyList<ActivityWindow> Windows,
    int Duplicates,
    IReadOnlyList<RejectedOrder> Rejected,
    IReadOnlyList<CustomerEvent> Events)
{
    /// <summary>Orders skipped because their offset is at or below the last one applied to the customer (a replay after a restore).</summary>
    public int AlreadyApplied { get; init; }

    public byte[]? Snapshot { get; init; }

    /// <summary>Whether <see cref="Snapshot"/> holds changes not in the changelog yet.</summary>
    public bool SnapshotHasChanges { get; init; }

    public bool Unsaved { get; init; }

    /// <summary>The orders applied to the customer: not duplicates, not already applied, not beyond its retention.</summary>
    public IReadOnlyList<OffsetOrder> Applied { get; init; } = [];

    public bool Passivated { get; init; }

    /// <summary>The customer placed no order within <c>Metrics:CustomerRetention</c> of the evaluation: it stopped, and is to be forgotten.</summary>
    public bool PastRetention { get; init; }

    /// <summary>The evaluation's findings, when the work asked for one; kept apart because most answers carry none.</summary>
    public CustomerEvaluated? Evaluated { get; init; }
}
