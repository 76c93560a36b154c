using System.Text;
using Confluent.Kafka;

namespace StreamMetrics.Kafka.Producers;

/// <summary>Sends keyed records to one topic (alerts, demand partials), so that one key's records stay in order in one partition.</summary>
public sealed class TopicProducer(RecordCollector records, string topic)
{
    /// <summary>Completes when the broker has the record; faults when it cannot be delivered.</summary>
    public Task SendAsync(byte[] key, byte[] value) =>
        records.SendAsync(topic, new Message<byte[]?, byte[]?> { Key = key, Value = value });

    public Task SendAsync(string key, byte[] value) => SendAsync(Encoding.UTF8.GetBytes(key), value);

    /// <summary>Sends a record to a partition of the caller's choice.</summary>
    public Task SendAsync(int partition, byte[] key, byte[] value) =>
        records.SendAsync(new TopicPartition(topic, partition), new Message<byte[]?, byte[]?> { Key = key, Value = value });
}
