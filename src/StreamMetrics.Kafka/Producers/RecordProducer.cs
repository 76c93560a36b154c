using Confluent.Kafka;
using StreamMetrics.Kafka.Logging;

namespace StreamMetrics.Kafka.Producers;

/// <summary>Produces many records fast (replay, simulate): fire and count delivered and failed, waiting only when librdkafka's queue is full.</summary>
public sealed class RecordProducer : IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer;
    private long _delivered;
    private long _failed;
    private string? _firstError;
    private bool _finished;

    public RecordProducer(KafkaClientSettings kafka)
    {
        _producer = new ProducerBuilder<byte[], byte[]>(kafka.Producer()).WithOurLog(kafka.BootstrapServers).Build();
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

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for every record to be delivered or to fail; those still queued
    /// then count as failed too, since nothing will wait for them any more.
    /// </summary>
    public void Finish(TimeSpan timeout)
    {
        var queued = _producer.Flush(timeout);
        if (queued > 0)
        {
            Interlocked.Add(ref _failed, queued);
            Interlocked.CompareExchange(ref _firstError, $"{queued} records still queued after {timeout.TotalSeconds:F0} s", null);
        }
        _finished = true;
    }

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
        if (!_finished) _producer.Flush(TimeSpan.FromSeconds(30));
        _producer.Dispose();
    }
}
