using Confluent.Kafka;

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

    /// <summary>The configuration of the group consumer: our defaults for it, then every <c>Kafka:Consumer</c> property.</summary>
    public ConsumerConfig GroupConsumer() => Kafka.Consumer(GroupId, new ConsumerConfig
    {
        PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        // The source buffers and pauses per partition itself; librdkafka's own prefetch (64 MiB by default) would only
        // add native memory that grows while a paused worker waits.
        QueuedMaxMessagesKbytes = 8192,
        // librdkafka keeps one fetch in flight per broker, and a broker holds a fetch that finds no new record for up to
        // this long. A partition resumed meanwhile waits behind it: with the default of 500 ms, whenever one partition had
        // been read to its end while the others were paused, the worker sat idle for most of half a second once they
        // resumed (BENCHMARKS.md, "A fetch held by the broker"). An idle worker asks 20 times a second.
        FetchWaitMaxMs = 50,
        // A record needs its partition, offset, key, value and timestamp: the topic is the one subscribed to, and headers
        // are not read. Left out, they cost no string, header list or headers object per record.
        ConsumeResultFields = "timestamp",
    });
}
