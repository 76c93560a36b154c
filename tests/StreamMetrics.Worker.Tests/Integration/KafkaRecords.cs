using System.Text;
using Confluent.Kafka;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>Raw records in and out of the dev cluster, byte for byte, for the dead-letter tests.</summary>
public static class KafkaRecords
{
    public static async Task ProduceToPartitionZeroAsync(string bootstrapServers, string topic, IEnumerable<(byte[] Key, byte[] Value)> records)
    {
        var config = new ProducerConfig { BootstrapServers = bootstrapServers, MessageMaxBytes = 4 << 20, CompressionType = CompressionType.Lz4 };
        using var producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        foreach (var (key, value) in records)
            await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<byte[], byte[]> { Key = key, Value = value });
    }

    /// <summary>Reads a topic from the start until <paramref name="expected"/> records arrived or a minute passed.</summary>
    public static List<(string Key, string Value, Headers Headers)> ConsumeAll(string bootstrapServers, string topic, int expected)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        };
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        consumer.Subscribe(topic);
        var records = new List<(string, string, Headers)>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (records.Count < expected && DateTime.UtcNow < deadline)
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: { } message })
                records.Add((Encoding.UTF8.GetString(message.Key), message.Value is null ? "" : Encoding.UTF8.GetString(message.Value), message.Headers));
        consumer.Close();
        return records;
    }

    public static string Header(Headers headers, string name) => Encoding.UTF8.GetString(headers.GetLastBytes(name));
}
