namespace StreamMetrics.Worker.Options;

/// <summary>The <c>Kafka</c> section: where orders come from and where dead letters go.</summary>
public sealed class KafkaOptions
{
    public string BootstrapServers { get; set; } = "";

    public string Topic { get; set; } = "orders";

    public string GroupId { get; set; } = "streammetrics";

    public string AlertsTopic { get; set; } = "customer-alerts";

    public string DeadLetterTopic { get; set; } = "orders.dlq";

    public string StateTopic { get; set; } = "streammetrics-state";

    /// <summary>Compacted topic through which workers share their partitions' population samples (key = partition).</summary>
    public string PopulationTopic { get; set; } = "streammetrics-population";

    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(5);

    public int MaxBufferedPerPartition { get; set; } = 10_000;

    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>Any librdkafka consumer property, applied over ours.</summary>
    public Dictionary<string, string> Consumer { get; set; } = new();

    /// <summary>Any librdkafka producer property, applied over ours.</summary>
    public Dictionary<string, string> Producer { get; set; } = new();
}
