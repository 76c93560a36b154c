namespace StreamMetrics.Kafka.Source;

/// <summary>What the Kafka source emits, in order: assignment changes and batches of records.</summary>
public abstract record SourceEvent;

/// <summary>Partitions newly assigned to this consumer; their records follow.</summary>
public sealed record PartitionsAssigned(IReadOnlyList<int> Partitions) : SourceEvent;

/// <summary>Partitions taken away; no record of theirs follows. <paramref name="Lost"/>: taken without a chance to commit.</summary>
public sealed record PartitionsRevoked(IReadOnlyList<int> Partitions, bool Lost) : SourceEvent;

/// <summary>Contiguous records of one partition, in offset order.</summary>
public sealed record RecordBatch(string Topic, int Partition, IReadOnlyList<ConsumedRecord> Records) : SourceEvent
{
    private int _released;

    /// <summary>Where the records were kept; null for records made elsewhere.</summary>
    public RecordArena? Arena { get; init; }

    /// <summary>
    /// Lets the source reuse the memory of the records, their keys and values: call once nothing reads them any more. A
    /// batch never released costs only that reuse.
    /// </summary>
    public void Release()
    {
        if (Arena is null || Interlocked.Exchange(ref _released, 1) != 0) return;
        Arena.Release(Records);
        if (Records is List<ConsumedRecord> list) Arena.Return(list);
    }
}

/// <summary>One Kafka record, with the partition and offset it was read at.</summary>
/// <remarks>
/// A struct: a partition's buffer and each batch hold the records inline, not one more object a record. Key and value
/// live in the source's <see cref="RecordArena"/> until their batch is released; a null one is empty.
/// </remarks>
public readonly record struct ConsumedRecord(int Partition, long Offset, ReadOnlyMemory<byte> Key, ReadOnlyMemory<byte> Value, DateTime TimestampUtc);
