using System.Text;

namespace StreamMetrics.Kafka.State;

/// <summary>Reads one partition of the changelog from its start to its end offset: the latest value per key, the way compaction would leave it.</summary>
public static class ChangelogReader
{
    public static ChangelogContent Read(KafkaClientSettings kafka, string topic, int partition, TimeSpan timeout)
    {
        var latest = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var read = PartitionReader.Read(kafka, topic, partition, null, timeout, (key, value) =>
        {
            if (key is null) return;
            var id = Encoding.UTF8.GetString(key);
            if (value is not null) latest[id] = value;
            else latest.Remove(id);
        });
        return new ChangelogContent(latest, read);
    }
}

/// <summary>The latest record per key of a changelog partition, and how many records were read to find them.</summary>
public sealed record ChangelogContent(IReadOnlyDictionary<string, byte[]> Latest, long RecordsRead);
