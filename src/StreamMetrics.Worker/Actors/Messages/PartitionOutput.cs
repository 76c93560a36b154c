using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Customers;
using StreamMetrics.Core.Demand;
using StreamMetrics.Core.Segments;

namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>
/// What a partition produced for one command: windows, metrics and events to write, orders to
/// dead-letter, and, for a checkpoint, the changed states and the offset that may be committed once all of
/// it (and all before it) is acknowledged and written.
/// </summary>
public sealed record PartitionOutput(
    int Partition,
    IReadOnlyList<ActivityWindow> Windows,
    IReadOnlyList<RejectedOrder> Rejected,
    long? CommittableOffset,
    OrderCounts Counts,
    DateTimeOffset? Watermark,
    int Customers)
{
    /// <summary>Of <see cref="Customers"/>, those kept as snapshot bytes instead of a live actor.</summary>
    public int PassivatedCustomers { get; init; }

    public IReadOnlyList<CustomerMetrics> Metrics { get; init; } = [];

    public IReadOnlyList<CustomerEvent> Events { get; init; } = [];

    public IReadOnlyList<SegmentFigures> Segments { get; init; } = [];

    /// <summary>Churn states and the most valuable at-risk customers, when this command closed a period.</summary>
    public ChurnOverview? Churn { get; init; }

    /// <summary>The models the partition fitted on its own customers after each period it evaluated.</summary>
    public IReadOnlyList<PartitionFit> Fits { get; init; } = [];

    /// <summary>Demand partials of the periods this command closed, for the demand topic.</summary>
    public IReadOnlyList<DemandPartial> Demand { get; init; } = [];

    /// <summary>The first demand period still open: the periods before it have sent their partials.</summary>
    public long? DemandWatermark { get; init; }

    /// <summary>
    /// Changelog records (key → snapshot, or null for a forgotten customer's tombstone) of a checkpoint, to be
    /// written before <see cref="CommittableOffset"/> is committed.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, byte[]?>> States { get; init; } = [];

    /// <summary>Customers this command forgot: no order within <c>Metrics:CustomerRetention</c>.</summary>
    public int ForgottenCustomers { get; init; }
}
