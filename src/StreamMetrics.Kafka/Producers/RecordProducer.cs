using Confluent.Kafka;

namespace StreamMetrics.Kafka.Producers;

/// <summary>Produces many records fast (replay, simulate): fire and count, waiting only when librdkafka's queue is full.</summary>
public sealed class RecordProducer : IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer;
    private long _delivered;
    private long _failed;
    private string? _firstError;

    public RecordProducer(string bootstrapServers, IReadOnlyDictionary<string, string>? overrides = null)
    {
        _producer = new ProducerBuilder<byte[], byte[]>(ProducerSettings.For(bootstrapServers, overrides)).Build();
    }

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>The first delivery error, if any, to report once.</summary>
    public string? FirstError => _firstError;

    public void Produce(string topic, byte[] key, byte[] value)
    {
        var message = new Message<byte[], byte[]> { Key = key, Value = value };
        while (true)
        {
            try
            {
                _producer.Produce(topic, message, OnDelivery);
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // Backpressure: let librdkafka send what it holds before queueing more.
                _producer.Poll(TimeSpan.FromMilliseconds(100));
            }
        }
    }

    /// <summary>Waits until every record is delivered or failed; returns false when some are still queued at the deadline.</summary>
    public bool Flush(TimeSpan timeout) => _producer.Flush(timeout) == 0;

    private void OnDelivery(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.Increment(ref _failed);
            Interlocked.CompareExchange(ref _firstError, report.Error.Reason, null);
        }
        else Interlocked.Increment(ref _delivered);
    }

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(30));
        _producer.Dispose();
    }
}
