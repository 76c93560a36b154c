using Confluent.Kafka;
using StreamMetrics.Kafka;
using StreamMetrics.Kafka.Logging;
using StreamMetrics.Kafka.Source;

namespace StreamMetrics.Bench;

/// <summary>The consumer the baseline and the peers read the bench's orders with.</summary>
internal static class BenchConsumer
{
    /// <summary>Every partition of <paramref name="topic"/> from its first offset, assigned rather than subscribed, so that no rebalance is timed.</summary>
    public static IConsumer<byte[]?, byte[]?> FromBeginning(KafkaClientSettings kafka, string topic, string groupId) =>
        Assigned(new ConsumerBuilder<byte[]?, byte[]?>(kafka.Consumer(groupId)), kafka, topic);

    /// <summary>As the other, but copying keys and values into <paramref name="arena"/>, as the worker's source does.</summary>
    public static IConsumer<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> FromBeginning(KafkaClientSettings kafka, string topic, string groupId, RecordArena arena) =>
        Assigned(new ConsumerBuilder<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>(kafka.Consumer(groupId))
            .SetKeyDeserializer(arena.Deserializer)
            .SetValueDeserializer(arena.Deserializer), kafka, topic);

    private static IConsumer<TKey, TValue> Assigned<TKey, TValue>(ConsumerBuilder<TKey, TValue> builder, KafkaClientSettings kafka, string topic)
    {
        var consumer = builder.WithOurLog(kafka.BootstrapServers).Build();
        var partitions = KafkaTopicInfo.EndOffsets(kafka, topic, TimeSpan.FromSeconds(10)).Keys;
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        return consumer;
    }

    /// <summary>The records the topic holds now: fewer than were produced when the cluster dropped the oldest to stay within its size.</summary>
    public static long RecordsKept(KafkaClientSettings kafka, string topic) =>
        KafkaTopicInfo.Watermarks(kafka, topic, TimeSpan.FromSeconds(10)).Values.Sum(offsets => offsets.High.Value - offsets.Low.Value);
}
