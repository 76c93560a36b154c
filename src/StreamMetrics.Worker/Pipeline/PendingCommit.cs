namespace StreamMetrics.Worker.Pipeline;

/// <summary>An offset that may be committed once <paramref name="Written"/> completes: its points acknowledged and its dead letters delivered.</summary>
public sealed record PendingCommit(int Partition, long? Offset, Task Written, TaskCompletionSource? Marker = null);
