using Akka.Actor;
using Akka.TestKit.Xunit2;
using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Orders;
using StreamMetrics.Worker.Actors;
using StreamMetrics.Worker.Actors.Messages;
using StreamMetrics.Worker.Options;

namespace StreamMetrics.Worker.Tests.Actors;

public sealed class AbsenceDetectionTests() : TestKit(CustomerMailbox.Configuration)
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("1997-01-01T00:00:00Z");
    private static readonly DateTimeOffset WallClock = DateTimeOffset.Parse("2026-01-01T00:00:00Z");

    [Fact]
    public void A_customer_who_stops_buying_turns_at_risk_then_churned_while_no_record_arrives()
    {
        var partition = Sys.ActorOf(PartitionActor.Props(0, new MetricsOptions(), fixedModel: TestModels.Cdnow()));
        // Six purchases, ten days apart, then silence.
        var orders = Enumerable.Range(0, 6)
            .Select(i => new OffsetOrder(i, new OrderEvent($"o{i}", "quiet", Start.AddDays(10 * i), OrderKind.Purchase, 25m, null, null, null, [])))
            .ToList();
        partition.Tell(new ProcessOrders(orders, 5, WallClock));
        var first = ExpectMsg<PartitionOutput>();
        // Each day the orders cross is evaluated: a first purchase, and segment changes while the customer keeps buying.
        Assert.Equal("new_customer", first.Events[0].Event);
        Assert.All(first.Events.Skip(1), e => Assert.Equal("segment_changed", e.Event));

        // Only the wall clock moves: an idle partition's watermark follows it, a day per tick.
        var events = new List<CustomerEvent>();
        for (var day = 1; day <= 400; day++)
        {
            partition.Tell(new AdvanceIdle(WallClock.AddDays(day)));
            events.AddRange(ExpectMsg<PartitionOutput>().Events);
        }

        var changes = events.Where(e => e.Event is "at_risk" or "churned").ToList();
        Assert.Equal([("at_risk", "active", "at_risk"), ("churned", "at_risk", "churned")], changes.Select(e => (e.Event, e.From, e.To)));
        Assert.True(changes[1].PAlive < changes[0].PAlive, "P(alive) falls while the customer stays away");
        Assert.True(changes[0].EventTime < changes[1].EventTime);
    }

    [Fact]
    public void The_same_orders_and_ticks_give_the_same_alerts()
    {
        IReadOnlyList<string> Run()
        {
            var partition = Sys.ActorOf(PartitionActor.Props(0, new MetricsOptions(), fixedModel: TestModels.Cdnow()));
            var orders = Enumerable.Range(0, 4)
                .Select(i => new OffsetOrder(i, new OrderEvent($"o{i}", "c", Start.AddDays(7 * i), OrderKind.Purchase, 10m, null, null, null, [])))
                .ToList();
            partition.Tell(new ProcessOrders(orders, 3, WallClock));
            var ids = ExpectMsg<PartitionOutput>().Events.Select(e => e.AlertId).ToList();
            for (var day = 1; day <= 300; day += 3)
            {
                partition.Tell(new AdvanceIdle(WallClock.AddDays(day)));
                ids.AddRange(ExpectMsg<PartitionOutput>().Events.Select(e => e.AlertId));
            }
            return ids;
        }

        var first = Run();
        Assert.True(first.Count >= 3);
        Assert.Equal(first, Run());
    }
}
