using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Customers;
using StreamMetrics.Core.Segments;

namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>
/// A customer's answer to <see cref="CustomerWork"/>. <see cref="Snapshot"/> is set when the customer
/// changed (it goes to the changelog at the next checkpoint) and when it passivated.
/// </summary>
public sealed record CustomerWorkDone(
    string CustomerId,
    IReadOnlyList<ActivityWindow> Windows,
    int Duplicates,
    IReadOnlyList<RejectedOrder> Rejected,
    IReadOnlyList<CustomerEvent> Events,
    CustomerMetrics? Metrics,
    SegmentContribution? Contribution = null)
{
    /// <summary>Orders skipped because their offset is at or below the last one applied to the customer (a replay after a restore).</summary>
    public int AlreadyApplied { get; init; }

    public byte[]? Snapshot { get; init; }

    /// <summary>The orders applied to the customer: not duplicates, not already applied, not beyond its retention.</summary>
    public IReadOnlyList<OffsetOrder> Applied { get; init; } = [];

    public bool Passivated { get; init; }
}
