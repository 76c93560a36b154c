using Confluent.Kafka;

namespace StreamMetrics.Kafka.DevCluster;

/// <summary>
/// Hosts librdkafka's built-in mock cluster (DESIGN §7): real Kafka wire protocol on 127.0.0.1, for
/// development and tests on machines without a Kafka distribution. It lives as long as this object.
/// </summary>
/// <remarks>
/// The cluster belongs to the client that creates it, so a producer is kept open only to host it.
/// Topics are auto-created with 4 partitions; each partition keeps only its newest few MiB.
/// </remarks>
public sealed class DevKafkaCluster : IDisposable
{
    private readonly IProducer<byte[], byte[]> _host;

    private DevKafkaCluster(IProducer<byte[], byte[]> host, string bootstrapServers)
    {
        _host = host;
        BootstrapServers = bootstrapServers;
    }

    /// <summary>The brokers' addresses, as <c>host:port,…</c>.</summary>
    public string BootstrapServers { get; }

    public static DevKafkaCluster Start(int brokers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        var config = new ProducerConfig { BootstrapServers = "127.0.0.1:1" };
        config.Set("test.mock.num.brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var host = new ProducerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
        using var admin = new DependentAdminClientBuilder(host.Handle).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
        var servers = string.Join(",", metadata.Brokers.OrderBy(b => b.BrokerId).Select(b => $"{b.Host}:{b.Port}"));
        return new DevKafkaCluster(host, servers);
    }

    /// <summary>
    /// Creates a topic (4 partitions) unless it exists. The mock cluster creates topics on a producer's
    /// metadata request, not on a consumer's subscription, so a consumer that starts first would wait.
    /// </summary>
    public int EnsureTopic(string topic)
    {
        using var admin = new DependentAdminClientBuilder(_host.Handle).Build();
        return admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count;
    }

    public void Dispose() => _host.Dispose();
}
