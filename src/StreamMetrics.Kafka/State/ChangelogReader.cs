using System.Runtime.CompilerServices;
using System.Text;
using Confluent.Kafka;

namespace StreamMetrics.Kafka.State;

/// <summary>
/// Reads one partition of the changelog from its start to its end offset: the latest value per key, the way
/// compaction would leave it, without the records a former owner wrote after a newer owner's claim
/// (<see cref="ChangelogOwnership"/>), and without a checkpoint a crash cut short (<see cref="ChangelogState"/>).
/// </summary>
public static class ChangelogReader
{
    /// <param name="commitKey">The key of each checkpoint's last record; null when every record counts on its own.</param>
    public static ChangelogContent Read(KafkaClientSettings kafka, string topic, int partition, TimeSpan timeout, string? commitKey = null)
    {
        var state = new ChangelogState(commitKey);
        var fence = ChangelogOwnership.Unclaimed;
        long stale = 0;
        // Optimised from the first call, as PartitionReader's loop is: a restore runs it for every record, once a process.
        var read = PartitionReader.Read(kafka, topic, partition, null, timeout, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (ConsumeResult<byte[]?, byte[]?> record) =>
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
            state.Apply(id, record.Message.Value);
        }, onRestart: () =>
        {
            state.Clear();
            fence = ChangelogOwnership.Unclaimed;
            stale = 0;
        });
        var undo = state.UndoCutShort();
        return new ChangelogContent(state.Latest, read.Records, stale, read.Restarts) { Undo = undo };
    }
}

/// <summary>
/// The latest record per key of a changelog partition, how many records were read to find them, how many of those a
/// former owner wrote too late to count, and how many times the read started over (<see cref="PartitionRead"/>).
/// </summary>
public sealed record ChangelogContent(IReadOnlyDictionary<string, byte[]> Latest, long RecordsRead, long StaleRecords, int Restarts)
{
    /// <summary>The records that undo a checkpoint cut short in the log (<see cref="ChangelogState.UndoCutShort"/>); empty when there was none.</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]?>> Undo { get; init; } = [];
}
