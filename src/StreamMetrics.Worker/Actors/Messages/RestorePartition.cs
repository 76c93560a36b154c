namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>
/// The latest changelog record per key of a newly assigned partition, read before its first order; answered with <see cref="PartitionRestored"/>.
/// <paramref name="RestoredAt"/> is the wall-clock instant of the restore: the partition's idle clock starts there (DESIGN §3).
/// </summary>
public sealed record RestorePartition(IReadOnlyDictionary<string, byte[]> Records, DateTimeOffset RestoredAt);

/// <summary>How many customers a partition restored.</summary>
public sealed record PartitionRestored(int Partition, int Customers);
