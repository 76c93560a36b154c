using Akka.Actor;
using Akka.TestKit.Xunit2;
using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Demand;
using StreamMetrics.Core.Orders;
using StreamMetrics.Core.State;
using StreamMetrics.Core.Time;
using StreamMetrics.Worker.Actors;
using StreamMetrics.Worker.Actors.Messages;
using StreamMetrics.Worker.Options;
using Xunit.Abstractions;

namespace StreamMetrics.Worker.Tests.Actors;

public sealed class PassivationTests(ITestOutputHelper output) : TestKit(CustomerMailbox.Configuration)
{
    private const int Customers = 20_000;
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("1997-01-01T00:00:00Z");
    private static readonly DateTimeOffset WallClock = DateTimeOffset.Parse("2026-01-01T00:00:00Z");
    private static readonly int[] GapsInDays = [5, 10, 15, 20];

    /// <summary>Customer i buys six times, <see cref="GapsInDays"/>[i % 4] days apart, then never again; the orders arrive in event-time order.</summary>
    private static List<OffsetOrder> Orders(int customers)
    {
        var orders = new List<OrderEvent>(customers * 6);
        for (var purchase = 0; purchase < 6; purchase++)
            for (var i = 0; i < customers; i++)
                orders.Add(new OrderEvent($"o{i}-{purchase}", $"c{i}", Start.AddDays(GapsInDays[i % 4] * purchase), OrderKind.Purchase, 20m + i % 7, null, null, null, []));
        return [.. orders.OrderBy(o => o.Timestamp).Select((order, offset) => new OffsetOrder(offset, order))];
    }

    /// <summary>Feeds the orders, then lets only the wall clock move, ten days a tick; returns each customer's churn events.</summary>
    private Dictionary<string, List<(string Event, DateTimeOffset At)>> Run(IActorRef partition, List<OffsetOrder> orders, Action<PartitionOutput>? onTick = null)
    {
        partition.Tell(new ProcessOrders(orders, orders[^1].Offset, WallClock));
        var outputs = new List<PartitionOutput> { ExpectMsg<PartitionOutput>(TimeSpan.FromMinutes(2)) };
        for (var day = 10; day <= 400; day += 10)
        {
            partition.Tell(new AdvanceIdle(WallClock.AddDays(day)));
            outputs.Add(ExpectMsg<PartitionOutput>(TimeSpan.FromMinutes(2)));
            onTick?.Invoke(outputs[^1]);
        }
        return outputs.SelectMany(o => o.Events)
            .Where(e => e.Event is CustomerEvent.AtRisk or CustomerEvent.Churned)
            .GroupBy(e => e.CustomerId)
            .ToDictionary(g => g.Key, g => g.Select(e => (e.Event, e.EventTime)).ToList());
    }

    [Fact]
    public void Twenty_thousand_passivated_customers_turn_at_risk_and_churned_in_the_same_periods_as_live_ones_and_round_trip_bit_for_bit()
    {
        var live = Sys.ActorOf(PartitionActor.Props(0, new MetricsOptions { PassivateAfter = TimeSpan.FromDays(10_000) }, fixedModel: TestModels.Cdnow()));
        var reference = Run(live, Orders(GapsInDays.Length));
        Assert.Equal(GapsInDays.Length, reference.Count);
        Assert.All(reference.Values, events => Assert.Equal(CustomerEvent.Churned, events[^1].Event));
        // At risk first (a customer between its early purchases may be too, and buy again), churned last.
        Assert.All(reference.Values, events => Assert.Equal(CustomerEvent.AtRisk, events[0].Event));

        var passivating = Sys.ActorOf(PartitionActor.Props(0, new MetricsOptions { PassivateAfter = TimeSpan.FromMinutes(1) }, fixedModel: TestModels.Cdnow()));
        var passivatedAfterFirstTick = -1;
        var events = Run(passivating, Orders(Customers), tick =>
        {
            if (passivatedAfterFirstTick < 0) passivatedAfterFirstTick = tick.PassivatedCustomers;
        });

        Assert.Equal(Customers, passivatedAfterFirstTick);
        Assert.Equal(Customers, events.Count);
        foreach (var (customerId, customerEvents) in events)
            Assert.Equal(reference[$"c{int.Parse(customerId[1..]) % GapsInDays.Length}"], customerEvents);

        passivating.Tell(new Checkpoint());
        var checkpoint = ExpectMsg<PartitionOutput>(TimeSpan.FromMinutes(1));
        Assert.Equal(Customers, checkpoint.PassivatedCustomers);
        var snapshots = checkpoint.States.Where(s => s.Key != PartitionSnapshot.Key && !s.Key.StartsWith(DemandPartials.SnapshotKeyPrefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(Customers, snapshots.Count);
        var windows = new PeriodWindows(TimeSpan.FromDays(1));
        foreach (var (customerId, bytes) in snapshots)
            Assert.Equal(bytes, CustomerSnapshot.Decode(customerId, bytes!, windows, new MetricsOptions().OrderIdRetention).Encode());
        var averageBytes = snapshots.Average(s => s.Value!.Length);
        output.WriteLine($"{Customers} passivated customers, {averageBytes:F1} bytes each on average");
        Assert.True(averageBytes <= 300, $"{averageBytes} bytes per passivated customer");
    }
}
