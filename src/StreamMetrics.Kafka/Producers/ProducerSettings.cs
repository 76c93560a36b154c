using Confluent.Kafka;

namespace StreamMetrics.Kafka.Producers;

/// <summary>Our producer defaults: lz4 compression (the dev cluster keeps only a few MiB a partition), small batching delay, acks from all replicas.</summary>
public static class ProducerSettings
{
    public static ProducerConfig For(string bootstrapServers, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            CompressionType = CompressionType.Lz4,
            LingerMs = 10,
            Acks = Acks.All,
            EnableIdempotence = true,
            // A dead letter carries the original value, which may be over the 1 MiB limit of the order contract.
            MessageMaxBytes = 4 << 20,
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>()) config.Set(key, value);
        return config;
    }
}
