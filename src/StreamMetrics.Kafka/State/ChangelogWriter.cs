using System.Text;
using Confluent.Kafka;
using StreamMetrics.Kafka.Producers;

namespace StreamMetrics.Kafka.State;

/// <summary>
/// Writes state snapshots to the compacted changelog topic, keyed by customer id, to the partition of
/// the same number as the orders partition they come from. A null snapshot is a tombstone: compaction
/// then drops the key, and a restore no longer sees it. Every record carries the epoch of the owner that
/// wrote it (<see cref="ChangelogOwnership"/>).
/// </summary>
public sealed class ChangelogWriter(RecordCollector records, string topic)
{
    /// <summary>
    /// Claims a partition for this owner: returns its epoch once the claim is in the log. Restore the partition after
    /// this, so that every record written before the claim is read and every later one of a former owner is ignored.
    /// </summary>
    public async Task<long> ClaimAsync(int partition)
    {
        var claim = new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(ChangelogOwnership.ClaimKey),
            Value = Encoding.UTF8.GetBytes($"{Environment.MachineName}/{Environment.ProcessId}"), // for whoever reads the topic by hand
        };
        var delivered = await records.SendAsync(new TopicPartition(topic, partition), claim);
        return delivered.Offset.Value;
    }

    /// <summary>Writes records as the owner of <paramref name="epoch"/>; completes when the broker has every record, faults with the first delivery error.</summary>
    public async Task WriteAsync(int partition, long epoch, IReadOnlyList<KeyValuePair<string, byte[]?>> states)
    {
        var target = new TopicPartition(topic, partition);
        var headers = ChangelogOwnership.HeadersFor(epoch); // copied by each Produce, so one serves them all
        var messages = new (TopicPartition, Message<byte[]?, byte[]?>)[states.Count];
        for (var i = 0; i < states.Count; i++)
            messages[i] = (target, new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(states[i].Key), Value = states[i].Value, Headers = headers });
        await await records.EnqueueAllAsync(messages);
    }
}
