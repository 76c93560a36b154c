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
        if (states.Count == 0) return;
        var target = new TopicPartition(topic, partition);
        var outstanding = states.Count;
        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnDelivery(DeliveryReport<byte[]?, byte[]?> report)
        {
            if (report.Error.IsError) delivered.TrySetException(new KafkaException(report.Error));
            else if (Interlocked.Decrement(ref outstanding) == 0) delivered.TrySetResult();
        }

        var headers = ChangelogOwnership.HeadersFor(epoch); // copied by each Produce, so one serves them all
        foreach (var (key, value) in states)
            await records.EnqueueAsync(target, new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(key), Value = value, Headers = headers }, OnDelivery);
        await delivered.Task;
    }
}
