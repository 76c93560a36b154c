using StreamMetrics.Core.Orders;
using StreamMetrics.Core.Simulation;

namespace StreamMetrics.Core.Tests.Simulation;

public sealed class PopulationSimulatorTests
{
    [Fact]
    public void The_same_seed_gives_the_same_orders()
    {
        var first = new PopulationSimulator(200, 60, seed: 7).Orders().ToList();
        var second = new PopulationSimulator(200, 60, seed: 7).Orders().ToList();

        Assert.Equal(first.Select(o => (o.OrderId, o.Timestamp, o.Amount)), second.Select(o => (o.OrderId, o.Timestamp, o.Amount)));
        Assert.NotEqual(first.Count, new PopulationSimulator(200, 60, seed: 8).Orders().Count());
    }

    [Fact]
    public void Orders_come_in_event_time_order_within_the_simulated_days()
    {
        var simulator = new PopulationSimulator(500, 30, seed: 1);
        var orders = simulator.Orders().ToList();

        Assert.Equal(500, orders.Where(o => o.Kind == OrderKind.Purchase).Select(o => o.CustomerId).Distinct().Count());
        Assert.True(orders.Zip(orders.Skip(1)).All(pair => pair.First.Timestamp <= pair.Second.Timestamp));
        Assert.All(orders.Where(o => o.Kind == OrderKind.Purchase), o => Assert.InRange(o.Timestamp, simulator.Start, simulator.End));
    }

    [Fact]
    public void A_purchase_amount_is_the_sum_of_its_items()
    {
        var order = new PopulationSimulator(10, 10, seed: 3).Orders().First(o => o.Kind == OrderKind.Purchase);

        Assert.Equal(order.Items.Sum(i => i.Quantity * i.UnitPrice), order.Amount);
    }

    [Fact]
    public void The_truth_says_who_dropped_out_at_their_last_purchase_and_never_right_after_the_first()
    {
        var (orders, truth) = new PopulationSimulator(2000, 365, seed: 5).Simulate();
        var purchases = orders.Where(o => o.Kind == OrderKind.Purchase).GroupBy(o => o.CustomerId).ToDictionary(g => g.Key, g => g.ToList());

        Assert.Equal(2000, truth.Count);
        Assert.Contains(truth, t => t.DroppedOutAt is null);
        foreach (var dropped in truth.Where(t => t.DroppedOutAt is not null))
        {
            var bought = purchases[dropped.CustomerId];
            Assert.True(bought.Count >= 2);
            Assert.Equal(dropped.DroppedOutAt, bought.Max(o => o.Timestamp));
        }
    }
}
