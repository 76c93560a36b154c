using StreamMetrics.Core.Customers;

namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>
/// What a partition produced for one command: windows to write, orders to dead-letter, and the offset
/// that may be committed once these windows (and all before them) are acknowledged.
/// </summary>
public sealed record PartitionOutput(
    int Partition,
    IReadOnlyList<ActivityWindow> Windows,
    IReadOnlyList<RejectedOrder> Rejected,
    long? CommittableOffset,
    OrderCounts Counts,
    DateTimeOffset? Watermark,
    int Customers);
