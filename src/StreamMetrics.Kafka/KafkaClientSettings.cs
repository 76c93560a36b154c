using Confluent.Kafka;
using StreamMetrics.Core.Redaction;

namespace StreamMetrics.Kafka;

/// <summary>
/// The deployment's Kafka connection and its librdkafka overrides: the one place where the configuration of
/// every client is built, so that a security setting reaches every consumer, producer and admin client alike.
/// </summary>
/// <remarks>
/// librdkafka gives each property a scope: consumer, producer, or every client. A property of another scope
/// is ignored with a warning per client ("… is a consumer property and will be ignored by this producer
/// instance"), and to librdkafka an admin client is a producer. So the consumer overrides reach every consumer
/// whole, the producer overrides every producer whole, and the connection properties of either section
/// (<see cref="IsConnectionProperty"/>: security, SASL, TLS, sockets, DNS, metadata) reach every client,
/// admin clients included. Where both sections set one connection property, consumers take the consumer
/// section's value, producers and admin clients the producer section's.
/// </remarks>
public sealed class KafkaClientSettings(
    string bootstrapServers,
    IReadOnlyDictionary<string, string>? consumerOverrides = null,
    IReadOnlyDictionary<string, string>? producerOverrides = null)
{
    // Every client of ours depends on these: an override would join a group, commit behind the pipeline's
    // back, or stop a reader finding a partition's end. The worker sets them; overrides of them are ignored.
    private static readonly HashSet<string> SetByUs = new(StringComparer.Ordinal)
    {
        "bootstrap.servers", "group.id", "enable.auto.commit", "enable.partition.eof",
    };

    // Properties of librdkafka's "every client" scope that decide how a client reaches and authenticates to
    // the cluster. Not test.mock.*: each client would start a cluster of its own.
    private static readonly string[] ConnectionPrefixes =
    [
        "security.protocol", "sasl.", "ssl.", "ssl_", "enable.ssl.", "enable.sasl.", "https.", "socket.", "broker.",
        "client.", "api.version.", "reconnect.backoff.", "connections.max.idle.ms", "metadata.", "topic.metadata.",
        "retry.backoff.", "debug",
    ];

    /// <summary>How long a consumer waits to fetch again once its queue of fetched records is full (librdkafka's default is 1,000).</summary>
    public const int FetchQueueBackoffMs = 10;

    private readonly IReadOnlyDictionary<string, string> _consumerOverrides = consumerOverrides ?? new Dictionary<string, string>();
    private readonly IReadOnlyDictionary<string, string> _producerOverrides = producerOverrides ?? new Dictionary<string, string>();

    public string BootstrapServers { get; } = bootstrapServers;

    /// <summary>The bootstrap servers as a log line or an error shows them: without any credentials.</summary>
    public string ShownServers => UrlRedaction.Redact(BootstrapServers);

    /// <summary>Whether a property decides how a client connects, so that it belongs on every client whichever section sets it.</summary>
    public static bool IsConnectionProperty(string key) =>
        ConnectionPrefixes.Any(prefix => key.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>
    /// A consumer of <paramref name="groupId"/> that commits nothing by itself: <paramref name="defaults"/>
    /// (the client's own tuning), then the producer section's connection properties, then every consumer override.
    /// </summary>
    /// <param name="partitionEof">Whether the consumer is told when it reaches a partition's end (readers that stop there).</param>
    public ConsumerConfig Consumer(string groupId, ConsumerConfig? defaults = null, bool partitionEof = false)
    {
        var config = new ConsumerConfig
        {
            // Once a partition's fetched records pass librdkafka's queue thresholds (queued.max.messages.kbytes,
            // queued.min.messages), its next fetch waits this long; librdkafka's default of a second left every consumer
            // here, the bare one of the bench included, idle for most of each second while it still had orders to read.
            FetchQueueBackoffMs = FetchQueueBackoffMs,
        };
        if (defaults is not null) Apply(config, defaults);
        Apply(config, Connection(_producerOverrides));
        Apply(config, _consumerOverrides);
        config.BootstrapServers = BootstrapServers;
        config.GroupId = groupId;
        config.EnableAutoCommit = false;
        config.EnablePartitionEof = partitionEof;
        return config;
    }

    /// <summary>
    /// A producer with our defaults (lz4, for the dev cluster keeps only a few MiB a partition; a small batching
    /// delay; acks from all replicas, idempotent), then the consumer section's connection properties, then every producer override.
    /// </summary>
    public ProducerConfig Producer()
    {
        var config = new ProducerConfig
        {
            CompressionType = CompressionType.Lz4,
            LingerMs = 10,
            Acks = Acks.All,
            EnableIdempotence = true,
            // A dead letter carries the original value, which may be over the 1 MiB limit of the order contract.
            MessageMaxBytes = 4 << 20,
            // Delivery reports carry the partition, offset and error whatever this says, and that is all we read of them:
            // by default each report also copies the record's headers and timestamp back, objects for every record sent.
            DeliveryReportFields = "none",
        };
        Apply(config, Connection(_consumerOverrides));
        Apply(config, _producerOverrides);
        config.BootstrapServers = BootstrapServers;
        return config;
    }

    /// <summary>An admin client: the connection properties of both sections, the producer section's winning.</summary>
    public AdminClientConfig Admin()
    {
        var config = new AdminClientConfig();
        Apply(config, Connection(_consumerOverrides));
        Apply(config, Connection(_producerOverrides));
        config.BootstrapServers = BootstrapServers;
        return config;
    }

    private static IEnumerable<KeyValuePair<string, string>> Connection(IEnumerable<KeyValuePair<string, string>> overrides) =>
        overrides.Where(o => IsConnectionProperty(o.Key));

    private static void Apply(ClientConfig config, IEnumerable<KeyValuePair<string, string>> properties)
    {
        foreach (var (key, value) in properties)
            if (!SetByUs.Contains(key)) config.Set(key, value);
    }
}
