namespace StreamMetrics.Kafka.Source;

/// <summary>
/// The bounded per-partition buffers of the source: which partitions to pause and resume, and which
/// partition's records go out next (round robin, so one busy partition cannot starve the others).
/// </summary>
internal sealed class PartitionBuffers(int maxPerPartition, int maxBatchSize)
{
    private readonly Dictionary<int, Queue<ConsumedRecord>> _buffers = new();
    private readonly HashSet<int> _paused = new();
    private readonly List<int> _order = new();
    private int _next;

    public IReadOnlyCollection<int> Paused => _paused;

    /// <summary>Records buffered over all partitions.</summary>
    public int Total { get; private set; }

    public void Add(int partition)
    {
        if (_buffers.TryAdd(partition, new Queue<ConsumedRecord>())) _order.Add(partition);
    }

    /// <summary>Forgets a partition and its buffered records; returns how many were dropped.</summary>
    public int Remove(int partition)
    {
        _paused.Remove(partition);
        _order.Remove(partition);
        var dropped = _buffers.Remove(partition, out var buffer) ? buffer.Count : 0;
        Total -= dropped;
        return dropped;
    }

    /// <summary>Buffers a record; returns true when its partition is now full and must be paused.</summary>
    public bool Enqueue(ConsumedRecord record)
    {
        if (!_buffers.TryGetValue(record.Partition, out var buffer)) return false; // revoked meanwhile
        buffer.Enqueue(record);
        Total++;
        return buffer.Count >= maxPerPartition && _paused.Add(record.Partition);
    }

    public int Count(int partition) => _buffers.TryGetValue(partition, out var buffer) ? buffer.Count : 0;

    /// <summary>Takes the next batch, round robin; <paramref name="resume"/> is set when its partition drained to half and was paused.</summary>
    public bool TryTakeBatch(out int partition, out List<ConsumedRecord> batch, out bool resume)
    {
        for (var tried = 0; tried < _order.Count; tried++)
        {
            partition = _order[_next++ % _order.Count];
            var buffer = _buffers[partition];
            if (buffer.Count == 0) continue;
            batch = new List<ConsumedRecord>(Math.Min(buffer.Count, maxBatchSize));
            while (batch.Count < maxBatchSize && buffer.TryDequeue(out var record)) batch.Add(record);
            Total -= batch.Count;
            resume = buffer.Count <= maxPerPartition / 2 && _paused.Remove(partition);
            return true;
        }
        (partition, batch, resume) = (-1, [], false);
        return false;
    }
}
