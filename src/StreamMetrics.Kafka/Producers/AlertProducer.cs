using System.Text;
using Confluent.Kafka;

namespace StreamMetrics.Kafka.Producers;

/// <summary>Sends alerts to their topic, keyed by customer so that one customer's alerts stay in order.</summary>
public sealed class AlertProducer(string bootstrapServers, string topic, IReadOnlyDictionary<string, string>? overrides = null) : IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer = new ProducerBuilder<byte[], byte[]>(ProducerSettings.For(bootstrapServers, overrides)).Build();

    /// <summary>Completes when the broker has the alert; faults when it cannot be delivered.</summary>
    public Task SendAsync(string key, byte[] value) =>
        _producer.ProduceAsync(topic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = value });

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(10));
        _producer.Dispose();
    }
}
