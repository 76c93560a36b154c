using System.Text;
using StreamMetrics.Core.Orders;
using StreamMetrics.Core.Time;
using StreamMetrics.Kafka.Source;
using StreamMetrics.Worker.Pipeline;

namespace StreamMetrics.Worker.Tests.Pipeline;

public sealed class RecordDecoderTests
{
    private static readonly DateTimeOffset Day1 = DateTimeOffset.Parse("2011-01-10T00:00:00Z");
    private static readonly RecordDecoder Decoder = new(new OrderValidationOptions(), TimeSpan.FromMinutes(5), new PeriodWindows(TimeSpan.FromDays(1)));

    private static ConsumedRecord Record(long offset, DateTimeOffset at) =>
        new(0, offset, Encoding.UTF8.GetBytes("c"), OrderJson.Serialize(new OrderEvent($"o{offset}", "c", at, OrderKind.Purchase, 1m, null, null, null, [])), at.UtcDateTime);

    private static ConsumedRecord BadRecord(long offset) => new(0, offset, Encoding.UTF8.GetBytes("c"), "{"u8.ToArray(), Day1.UtcDateTime);

    private static DecodedBatch Decode(params ConsumedRecord[] records) => Decoder.Decode(new RecordBatch("orders", 0, records), Day1.AddYears(20));

    [Fact]
    public void A_batch_within_one_period_is_one_command_up_to_its_last_record()
    {
        var decoded = Decode(Record(0, Day1.AddHours(1)), Record(1, Day1.AddHours(2)), BadRecord(2));

        var command = Assert.Single(decoded.Commands);
        Assert.Equal([0L, 1L], command.Orders.Select(o => o.Offset));
        Assert.Equal(2L, command.LastOffset);
        Assert.Single(decoded.DeadLetters);
    }

    [Fact]
    public void A_batch_is_cut_before_each_order_that_starts_a_later_period_than_any_before_it()
    {
        var decoded = Decode(
            Record(10, Day1.AddHours(23)), Record(11, Day1.AddDays(1)), Record(12, Day1.AddHours(20)), // late: no cut
            Record(13, Day1.AddDays(3)), Record(14, Day1.AddDays(2)), BadRecord(15));

        Assert.Equal([[10L], [11L, 12L], [13L, 14L]], decoded.Commands.Select(c => c.Orders.Select(o => o.Offset).ToArray()));
        // Each command answers up to its last order; the last one for the whole batch, the dead letter included.
        Assert.Equal([10L, 12L, 15L], decoded.Commands.Select(c => c.LastOffset));
    }

    [Fact]
    public void The_orders_of_an_answered_command_are_let_go_and_their_list_holds_a_later_batchs()
    {
        var decoder = new RecordDecoder(new OrderValidationOptions(), TimeSpan.FromMinutes(5), new PeriodWindows(TimeSpan.FromDays(1)));
        var first = Assert.Single(decoder.Decode(new RecordBatch("orders", 0, [Record(0, Day1.AddHours(1)), Record(1, Day1.AddHours(2))]), Day1.AddYears(20)).Commands);

        decoder.Return(first);
        var second = Assert.Single(decoder.Decode(new RecordBatch("orders", 0, [Record(2, Day1.AddHours(3))]), Day1.AddYears(20)).Commands);

        Assert.Same(first.Orders, second.Orders);
        Assert.Equal([2L], second.Orders.Select(o => o.Offset));
    }

    [Fact]
    public void A_batch_of_only_bad_records_is_one_command_without_orders()
    {
        var decoded = Decode(BadRecord(7));

        var command = Assert.Single(decoded.Commands);
        Assert.Equal((0, 7L), (command.Orders.Count, command.LastOffset));
    }
}
