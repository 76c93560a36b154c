using Confluent.Kafka;
using StreamMetrics.Kafka.Logging;

namespace StreamMetrics.Kafka.State;

/// <summary>Reads one partition from its start up to an offset, outside any group: how state is rebuilt from a topic.</summary>
public static class PartitionReader
{
    /// <summary>Hands every record before <paramref name="until"/> (the end offset when null) to <paramref name="onRecord"/>; returns how many.</summary>
    public static long Read(KafkaClientSettings kafka, string topic, int partition, long? until, TimeSpan timeout, Action<ConsumeResult<byte[]?, byte[]?>> onRecord)
    {
        // Assigned, never subscribed: this consumer joins no group and commits nothing.
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(kafka.Consumer("streammetrics-restore", partitionEof: true)).WithOurLog(kafka.BootstrapServers).Build();
        var target = new TopicPartition(topic, partition);
        var offsets = consumer.QueryWatermarkOffsets(target, timeout);
        var end = Math.Min(until ?? offsets.High.Value, offsets.High.Value);
        if (end <= offsets.Low.Value) return 0;

        consumer.Assign(new TopicPartitionOffset(target, Offset.Beginning));
        var deadline = DateTime.UtcNow + timeout;
        long read = 0;
        while (true)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null || result.IsPartitionEOF)
            {
                if (result?.IsPartitionEOF == true && result.Offset.Value >= end) return read;
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"reading partition {partition} of '{topic}' did not reach offset {end} within {timeout}");
                continue;
            }
            if (result.Offset.Value >= end) return read;
            read++;
            onRecord(result);
            if (result.Offset.Value + 1 >= end) return read;
        }
    }
}
