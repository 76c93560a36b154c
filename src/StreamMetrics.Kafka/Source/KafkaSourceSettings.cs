namespace StreamMetrics.Kafka.Source;

/// <summary>How the Kafka source consumes: where from, how much it buffers, how often it commits.</summary>
public sealed record KafkaSourceSettings(KafkaClientSettings Kafka, string Topic, string GroupId)
{
    /// <summary>A partition is paused at this many buffered records and resumed at half.</summary>
    public int MaxBufferedPerPartition { get; init; } = 10_000;

    /// <summary>A partition is also paused at this many buffered bytes (keys and values) and resumed at half; a batch holds at most half.</summary>
    public long MaxBufferedBytesPerPartition { get; init; } = 16 << 20;

    public int MaxBatchSize { get; init; } = 1000;

    /// <summary>How often the consumer is polled when nothing else wakes the stage.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>How often committable offsets are sent to the group coordinator.</summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Called when partitions are about to be revoked, before their last commit: the work downstream
    /// checkpoints them and completes the task. The partitions are released when it completes or after
    /// <see cref="RevokeTimeout"/>, whichever comes first.
    /// </summary>
    public Func<IReadOnlyList<int>, Task>? BeforeRevoke { get; init; }

    public TimeSpan RevokeTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
