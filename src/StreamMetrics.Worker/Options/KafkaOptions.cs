using StreamMetrics.Kafka;

namespace StreamMetrics.Worker.Options;

/// <summary>The <c>Kafka</c> section: where orders come from and where dead letters go.</summary>
public sealed class KafkaOptions
{
    public string BootstrapServers { get; set; } = "";

    public string Topic { get; set; } = "orders";

    public string GroupId { get; set; } = "streammetrics";

    public string AlertsTopic { get; set; } = "customer-alerts";

    /// <summary>Days whose demand fell outside the 95% interval of their forecast (JSON, key = level:key).</summary>
    public string DemandAlertsTopic { get; set; } = "demand-alerts";

    public string DeadLetterTopic { get; set; } = "orders.dlq";

    /// <summary>The compacted topic of customer profiles (key = customerId) that every worker reads whole; it need not exist.</summary>
    public string ProfilesTopic { get; set; } = "customer-profiles";

    /// <summary>The compacted state changelog; empty means <c>&lt;GroupId&gt;-state</c>, so that two groups never restore each other's state.</summary>
    public string StateTopic { get; set; } = "";

    /// <summary>The internal topic through which partitions send their demand partials to the worker that sums each key; empty means <c>&lt;GroupId&gt;-demand</c>.</summary>
    public string DemandTopic { get; set; } = "";

    public string DemandTopicName => string.IsNullOrWhiteSpace(DemandTopic) ? $"{GroupId}-demand" : DemandTopic;

    /// <summary>The consumer group that sums demand: the deployment's group with <c>-demand</c> appended.</summary>
    public string DemandGroupId => $"{GroupId}-demand";

    public string StateTopicName => string.IsNullOrWhiteSpace(StateTopic) ? $"{GroupId}-state" : StateTopic;

    /// <summary>Compacted topic through which workers share their partitions' population samples (key = partition).</summary>
    public string PopulationTopic { get; set; } = "streammetrics-population";

    /// <summary>How often each partition checkpoints: points acknowledged, states to the changelog, offsets committed.</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a revoked partition may take to finish its checkpoint before it is released anyway.</summary>
    public TimeSpan RevokeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public int MaxBufferedPerPartition { get; set; } = 10_000;

    /// <summary>Bytes (keys and values) buffered per partition before it is paused; a batch holds at most half.</summary>
    public long MaxBufferedBytesPerPartition { get; set; } = 16 << 20;

    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>Any librdkafka consumer property, applied over ours on every consumer; its connection properties reach every client (<see cref="KafkaClientSettings"/>).</summary>
    public Dictionary<string, string> Consumer { get; set; } = new();

    /// <summary>Any librdkafka producer property, applied over ours on every producer; its connection properties reach every client (<see cref="KafkaClientSettings"/>).</summary>
    public Dictionary<string, string> Producer { get; set; } = new();

    /// <summary>What every Kafka client of the worker is built from: the bootstrap servers and both sections of overrides.</summary>
    public KafkaClientSettings ClientSettings => new(BootstrapServers, Consumer, Producer);
}
