namespace StreamMetrics.Kafka.Lag;

/// <summary>One partition of a group's topic, as the cluster sees it.</summary>
/// <param name="Committed">The group's committed offset, or null when it has committed none.</param>
/// <param name="End">The end offset (high watermark).</param>
/// <param name="Lag">Records from where the group would resume (its committed offset, else the log start) to the end.</param>
/// <param name="LagSeconds">The age, by its Kafka timestamp, of the oldest record not yet committed; 0 when caught up.</param>
/// <param name="Owner">The group member the partition is assigned to, or null when none is.</param>
public sealed record PartitionLag(int Partition, long? Committed, long End, long Lag, double LagSeconds, string? Owner);

/// <summary>A group's lag on a topic at one moment, read from the cluster without joining the group.</summary>
/// <param name="Members">The group's members, or null when the cluster cannot describe groups.</param>
public sealed record GroupLag(string Group, string Topic, DateTimeOffset At, IReadOnlyList<PartitionLag> Partitions, int? Members)
{
    /// <summary>Why owners and members are unknown, when they are, as a short phrase such as "not supported by this cluster".</summary>
    public string? OwnersUnknown { get; init; }

    public long TotalLag => Partitions.Sum(p => p.Lag);

    public long TotalEnd => Partitions.Sum(p => p.End);

    /// <summary>Where the group stands in total: its committed offsets, the log start for partitions without one.</summary>
    public long TotalPosition => Partitions.Sum(p => p.End - p.Lag);
}
