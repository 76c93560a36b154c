namespace StreamMetrics.Worker.Pipeline;

/// <summary>
/// An offset that may be committed once <paramref name="Written"/> completes (its points acknowledged,
/// its dead letters and alerts delivered) and then its <paramref name="States"/> are in the changelog.
/// </summary>
public sealed record PendingCommit(int Partition, long? Offset, Task Written, TaskCompletionSource? Marker = null)
{
    public IReadOnlyList<KeyValuePair<string, byte[]?>> States { get; init; } = [];

    /// <summary>For a checkpoint, when its command was sent (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long? CheckpointSentAt { get; init; }
}
