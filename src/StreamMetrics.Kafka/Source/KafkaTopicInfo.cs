using Confluent.Kafka;
using StreamMetrics.Kafka.Logging;

namespace StreamMetrics.Kafka.Source;

/// <summary>Read-only questions to the cluster about a topic and a group's offsets, asked outside the group.</summary>
public static class KafkaTopicInfo
{
    /// <summary>The end offset (high watermark) of every partition of the topic.</summary>
    public static IReadOnlyDictionary<int, long> EndOffsets(KafkaClientSettings kafka, string topic, TimeSpan timeout) =>
        Watermarks(kafka, topic, timeout).ToDictionary(partition => partition.Key, partition => partition.Value.High.Value);

    /// <summary>The first and the end offset of every partition of the topic: what it holds now, past retention and deletion.</summary>
    public static IReadOnlyDictionary<int, WatermarkOffsets> Watermarks(KafkaClientSettings kafka, string topic, TimeSpan timeout)
    {
        using var consumer = Build(kafka, $"streammetrics-probe-{Guid.NewGuid():N}");
        return Partitions(kafka, topic, timeout).ToDictionary(p => p, p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), timeout));
    }

    /// <summary>Where the group stands on each partition: its committed offset, or the log start when it has none.</summary>
    public static IReadOnlyDictionary<int, long> CommittedOrStart(KafkaClientSettings kafka, string topic, string groupId,
        IEnumerable<int> partitions, TimeSpan timeout)
    {
        var wanted = partitions.Select(p => new TopicPartition(topic, p)).ToList();
        if (wanted.Count == 0) return new Dictionary<int, long>();
        using var consumer = Build(kafka, groupId);
        var committed = consumer.Committed(wanted, timeout);
        return committed.ToDictionary(c => c.Partition.Value,
            c => c.Offset.Value >= 0 ? c.Offset.Value : consumer.QueryWatermarkOffsets(c.TopicPartition, timeout).Low.Value);
    }

    private static IEnumerable<int> Partitions(KafkaClientSettings kafka, string topic, TimeSpan timeout)
    {
        using var admin = new AdminClientBuilder(kafka.Admin()).WithOurLog(kafka.BootstrapServers).Build();
        var metadata = admin.GetMetadata(topic, timeout).Topics.Single();
        if (metadata.Error.IsError) throw new KafkaException(metadata.Error);
        return metadata.Partitions.Select(p => p.PartitionId).Order().ToList();
    }

    // A consumer that never subscribes does not join the group: it only reads offsets.
    private static IConsumer<byte[], byte[]> Build(KafkaClientSettings kafka, string groupId) =>
        new ConsumerBuilder<byte[], byte[]>(kafka.Consumer(groupId)).WithOurLog(kafka.BootstrapServers).Build();
}
