using StreamMetrics.Core.Orders;
using StreamMetrics.Kafka.Producers;
using StreamMetrics.Kafka.Source;
using StreamMetrics.Worker.Actors.Messages;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>Turns Kafka records into orders, and every record that breaks the order contract into a dead letter with its reason.</summary>
public sealed class RecordDecoder(OrderValidationOptions validation, TimeSpan maxFutureSkew)
{
    public DecodedBatch Decode(RecordBatch batch, DateTimeOffset receivedAt)
    {
        var options = validation with { NotAfter = receivedAt + maxFutureSkew };
        var orders = new List<OffsetOrder>(batch.Records.Count);
        List<DeadLetter>? deadLetters = null;
        foreach (var record in batch.Records)
        {
            if (OrderParser.TryParse(record.Key, record.Value, options, out var order, out var error))
                orders.Add(new OffsetOrder(record.Offset, order));
            else
                (deadLetters ??= []).Add(ToDeadLetter(batch.Topic, record, error));
        }
        var command = new ProcessOrders(orders, batch.Records[^1].Offset, receivedAt);
        return new DecodedBatch(batch.Partition, command, deadLetters ?? (IReadOnlyList<DeadLetter>)[]);
    }

    public static DeadLetter ToDeadLetter(string topic, ConsumedRecord record, string error) =>
        new(topic, record.Partition, record.Offset, record.Key, record.Value, error);
}
