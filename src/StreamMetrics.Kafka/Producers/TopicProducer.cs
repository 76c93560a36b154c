using System.Text;
using Confluent.Kafka;

namespace StreamMetrics.Kafka.Producers;

/// <summary>Sends keyed records to one topic (alerts, demand partials), so that one key's records stay in order in one partition.</summary>
public sealed class TopicProducer(RecordCollector records, string topic)
{
    // Immutable, so one serves every record the key places.
    private readonly TopicPartition _byKey = new(topic, Partition.Any);

    /// <summary>
    /// Queues records, each for its key's partition (<see cref="RecordCollector.EnqueueAllAsync"/>): the task returned
    /// completes when the broker has them all, and faults when one cannot be delivered.
    /// </summary>
    public ValueTask<Task> EnqueueAllAsync(IReadOnlyCollection<(string Key, byte[] Value)> keyed) =>
        records.EnqueueAllAsync([.. keyed.Select(r => (_byKey, Message(Encoding.UTF8.GetBytes(r.Key), r.Value)))]);

    /// <summary>Queues records, each for a partition of the caller's choice, in their order.</summary>
    public ValueTask<Task> EnqueueAllAsync(IReadOnlyCollection<(int Partition, byte[] Key, byte[] Value)> placed) =>
        records.EnqueueAllAsync([.. placed.Select(r => (new TopicPartition(topic, r.Partition), Message(r.Key, r.Value)))]);

    private static Message<byte[]?, byte[]?> Message(byte[] key, byte[] value) => new() { Key = key, Value = value };
}
