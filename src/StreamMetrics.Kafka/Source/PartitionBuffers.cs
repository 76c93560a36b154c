namespace StreamMetrics.Kafka.Source;

/// <summary>
/// The bounded per-partition buffers of the source: which partitions to pause and resume, and which
/// partition's records go out next (round robin, so one busy partition cannot starve the others).
/// </summary>
/// <remarks>
/// Bounded by records and by bytes alike: ten thousand orders of a few hundred bytes are a few MiB, but
/// records may be up to the broker's limit, and ten thousand of those would be gigabytes. A batch is
/// bounded the same way, by half the byte bound, so one batch never holds a partition's whole buffer.
/// </remarks>
internal sealed class PartitionBuffers(int maxPerPartition, int maxBatchSize, long maxBytesPerPartition, RecordArena arena)
{
    private readonly Dictionary<int, Buffer> _buffers = new();
    private readonly HashSet<int> _paused = new();
    private readonly List<int> _order = new();
    private int _next;

    public IReadOnlyCollection<int> Paused => _paused;

    /// <summary>Records buffered over all partitions.</summary>
    public int Total { get; private set; }

    public void Add(int partition)
    {
        if (_buffers.TryAdd(partition, new Buffer())) _order.Add(partition);
    }

    /// <summary>Forgets a partition and its buffered records; returns how many were dropped.</summary>
    public int Remove(int partition)
    {
        _paused.Remove(partition);
        _order.Remove(partition);
        var dropped = _buffers.Remove(partition, out var buffer) ? buffer.Records.Count : 0;
        Total -= dropped;
        return dropped;
    }

    /// <summary>Buffers a record; returns true when its partition is now full and must be paused.</summary>
    public bool Enqueue(ConsumedRecord record)
    {
        if (!_buffers.TryGetValue(record.Partition, out var buffer)) return false; // revoked meanwhile
        buffer.Records.Enqueue(record);
        buffer.NextOffset = record.Offset + 1;
        buffer.Bytes += SizeOf(record);
        Total++;
        return (buffer.Records.Count >= maxPerPartition || buffer.Bytes >= maxBytesPerPartition) && _paused.Add(record.Partition);
    }

    /// <summary>The offset after the last record buffered for <paramref name="partition"/>; null before the first.</summary>
    public long? NextOffset(int partition) => _buffers.TryGetValue(partition, out var buffer) ? buffer.NextOffset : null;

    public int Count(int partition) => _buffers.TryGetValue(partition, out var buffer) ? buffer.Records.Count : 0;

    public long Bytes(int partition) => _buffers.TryGetValue(partition, out var buffer) ? buffer.Bytes : 0;

    /// <summary>Takes the next batch, round robin; <paramref name="resume"/> is set when its partition drained to half and was paused.</summary>
    public bool TryTakeBatch(out int partition, out List<ConsumedRecord> batch, out bool resume)
    {
        for (var tried = 0; tried < _order.Count; tried++)
        {
            partition = _order[_next++ % _order.Count];
            var buffer = _buffers[partition];
            if (buffer.Records.Count == 0) continue;
            batch = arena.RentList(Math.Min(buffer.Records.Count, maxBatchSize));
            long batchBytes = 0;
            while (batch.Count < maxBatchSize && (batch.Count == 0 || batchBytes < maxBytesPerPartition / 2) && buffer.Records.TryDequeue(out var record))
            {
                batch.Add(record);
                batchBytes += SizeOf(record);
            }
            buffer.Bytes -= batchBytes;
            Total -= batch.Count;
            resume = buffer.Records.Count <= maxPerPartition / 2 && buffer.Bytes <= maxBytesPerPartition / 2 && _paused.Remove(partition);
            return true;
        }
        (partition, batch, resume) = (-1, [], false);
        return false;
    }

    private static long SizeOf(ConsumedRecord record) => record.Key.Length + record.Value.Length;

    private sealed class Buffer
    {
        public Queue<ConsumedRecord> Records { get; } = new();

        public long Bytes { get; set; }

        public long? NextOffset { get; set; }
    }
}
