using System.Text;

namespace StreamMetrics.Kafka.State;

/// <summary>
/// Reads one partition of the changelog from its start to its end offset: the latest value per key, the way
/// compaction would leave it, without the records a former owner wrote after a newer owner's claim
/// (<see cref="ChangelogOwnership"/>).
/// </summary>
public static class ChangelogReader
{
    public static ChangelogContent Read(KafkaClientSettings kafka, string topic, int partition, TimeSpan timeout)
    {
        var latest = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var fence = ChangelogOwnership.Unclaimed;
        long stale = 0;
        var read = PartitionReader.Read(kafka, topic, partition, null, timeout, record =>
        {
            if (record.Message.Key is not { } key) return;
            var id = Encoding.UTF8.GetString(key);
            if (id == ChangelogOwnership.ClaimKey)
            {
                fence = Math.Max(fence, record.Offset.Value);
                return;
            }
            var epoch = ChangelogOwnership.EpochOf(record.Message.Headers);
            if (epoch < fence)
            {
                stale++;
                return;
            }
            // Compaction may have removed the claim an epoch's records follow; they still fence what came before them.
            fence = epoch;
            if (record.Message.Value is { } value) latest[id] = value;
            else latest.Remove(id);
        }, onRestart: () =>
        {
            latest.Clear();
            fence = ChangelogOwnership.Unclaimed;
            stale = 0;
        });
        return new ChangelogContent(latest, read.Records, stale, read.Restarts);
    }
}

/// <summary>
/// The latest record per key of a changelog partition, how many records were read to find them, how many of those a
/// former owner wrote too late to count, and how many times the read started over (<see cref="PartitionRead"/>).
/// </summary>
public sealed record ChangelogContent(IReadOnlyDictionary<string, byte[]> Latest, long RecordsRead, long StaleRecords, int Restarts);
