namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>The latest changelog record per key of a newly assigned partition, read before its first order; answered with <see cref="PartitionRestored"/>.</summary>
public sealed record RestorePartition(IReadOnlyDictionary<string, byte[]> Records);

/// <summary>How many customers a partition restored.</summary>
public sealed record PartitionRestored(int Partition, int Customers);
