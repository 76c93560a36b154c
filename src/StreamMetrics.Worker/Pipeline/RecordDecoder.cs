using System.Collections.Concurrent;
using StreamMetrics.Core.Orders;
using StreamMetrics.Core.Time;
using StreamMetrics.Kafka.Producers;
using StreamMetrics.Kafka.Source;
using StreamMetrics.Worker.Actors.Messages;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>
/// Turns Kafka records into the partition's commands, and every record that breaks the order contract into a dead letter
/// with its reason.
/// </summary>
/// <param name="periods">Where a command is cut: before each order that starts a period later than any before it.</param>
/// <remarks>
/// A partition answers a command once all of it is done, and a command whose orders span days evaluates every customer at
/// each day's start: cut there, the windows a day's start closes leave before the next day's evaluation. A partition
/// writes the same points however its records are batched, so the cut is only about when.
/// </remarks>
public sealed class RecordDecoder(OrderValidationOptions validation, TimeSpan maxFutureSkew, PeriodWindows periods)
{
    // Bounds what is kept for reuse: more than the batches of every partition in flight at once.
    private const int MaxSpareLists = 64;
    private readonly ConcurrentQueue<List<OffsetOrder>> _spareLists = new();

    public DecodedBatch Decode(RecordBatch batch, DateTimeOffset receivedAt)
    {
        var options = validation with { NotAfter = receivedAt + maxFutureSkew };
        var orders = RentList(batch.Records.Count);
        List<DeadLetter>? deadLetters = null;
        foreach (var record in batch.Records)
        {
            if (OrderParser.TryParse(record.Key.Span, record.Value.Span, options, out var order, out var error))
                orders.Add(new OffsetOrder(record.Offset, order));
            else
                (deadLetters ??= []).Add(ToDeadLetter(batch.Topic, record, error));
        }
        return new DecodedBatch(batch.Partition, CutAtPeriodStarts(orders, batch.Records[^1].Offset, receivedAt), deadLetters ?? (IReadOnlyList<DeadLetter>)[]);
    }

    private IReadOnlyList<ProcessOrders> CutAtPeriodStarts(List<OffsetOrder> orders, long lastOffset, DateTimeOffset receivedAt)
    {
        var commands = new List<ProcessOrders>(1);
        var start = 0;
        var newest = orders.Count > 0 ? periods.IndexOf(orders[0].Order.Timestamp) : 0;
        for (var i = 1; i < orders.Count; i++)
        {
            var period = periods.IndexOf(orders[i].Order.Timestamp);
            if (period <= newest) continue;
            commands.Add(new ProcessOrders(orders.GetRange(start, i - start), orders[i - 1].Offset, receivedAt));
            (start, newest) = (i, period);
        }
        commands.Add(new ProcessOrders(start == 0 ? orders : orders.GetRange(start, orders.Count - start), lastOffset, receivedAt));
        return commands;
    }

    /// <summary>
    /// Takes back the orders of a command its partition has answered, for a later batch's: the partition reads them only as
    /// it takes the command in. A list of a batch's orders was 16 bytes an order.
    /// </summary>
    public void Return(ProcessOrders command)
    {
        if (command.Orders is not List<OffsetOrder> list || _spareLists.Count >= MaxSpareLists) return;
        list.Clear(); // nothing of the orders is kept
        _spareLists.Enqueue(list);
    }

    private List<OffsetOrder> RentList(int capacity)
    {
        if (!_spareLists.TryDequeue(out var list)) return new List<OffsetOrder>(capacity);
        list.EnsureCapacity(capacity);
        return list;
    }

    /// <summary>The record's key and value are copied: the letter is sent after its batch has been released.</summary>
    public static DeadLetter ToDeadLetter(string topic, ConsumedRecord record, string error) =>
        new(topic, record.Partition, record.Offset, CopyOrNull(record.Key), CopyOrNull(record.Value), error);

    private static byte[]? CopyOrNull(ReadOnlyMemory<byte> bytes) => bytes.IsEmpty ? null : bytes.ToArray();
}
