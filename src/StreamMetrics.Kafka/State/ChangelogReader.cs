using System.Text;
using Confluent.Kafka;

namespace StreamMetrics.Kafka.State;

/// <summary>Reads one partition of the changelog from its start to its end offset: the latest value per key, the way compaction would leave it.</summary>
public static class ChangelogReader
{
    public static ChangelogContent Read(string bootstrapServers, string topic, int partition, TimeSpan timeout)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            // Assigned, never subscribed: this consumer joins no group and commits nothing.
            GroupId = "streammetrics-restore",
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        var target = new TopicPartition(topic, partition);
        var (low, high) = consumer.QueryWatermarkOffsets(target, timeout) is var w ? (w.Low.Value, w.High.Value) : default;
        var latest = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (high <= low) return new ChangelogContent(latest, 0);

        consumer.Assign(new TopicPartitionOffset(target, Offset.Beginning));
        var deadline = DateTime.UtcNow + timeout;
        long read = 0;
        while (true)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"reading partition {partition} of '{topic}' did not reach offset {high} within {timeout}");
                continue;
            }
            if (result.IsPartitionEOF)
            {
                if (result.Offset.Value >= high) break;
                continue;
            }
            read++;
            if (result.Message.Key is { } key)
            {
                var id = Encoding.UTF8.GetString(key);
                if (result.Message.Value is { } value) latest[id] = value;
                else latest.Remove(id);
            }
            if (result.Offset.Value + 1 >= high) break;
        }
        return new ChangelogContent(latest, read);
    }
}

/// <summary>The latest record per key of a changelog partition, and how many records were read to find them.</summary>
public sealed record ChangelogContent(IReadOnlyDictionary<string, byte[]> Latest, long RecordsRead);
