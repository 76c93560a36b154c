using StreamMetrics.Core.Customers;
using StreamMetrics.Core.Orders;
using StreamMetrics.Core.Time;

namespace StreamMetrics.Core.Tests.Customers;

public sealed class CustomerStateTests
{
    private static readonly DateTimeOffset Day1 = DateTimeOffset.Parse("2010-12-01T00:00:00Z");

    private static CustomerState Create() => new("17850", new PeriodWindows(TimeSpan.FromDays(1)), TimeSpan.FromDays(90));

    private static OrderEvent Order(string id, DateTimeOffset at, decimal amount, OrderKind kind = OrderKind.Purchase, long units = 1) =>
        new(id, "17850", at, kind, amount, "GBP", "United Kingdom", null, [new OrderItem("85123A", null, units, amount / units)]);

    private static List<ActivityWindow> Closed(CustomerState state, DateTimeOffset watermark)
    {
        var windows = new List<ActivityWindow>();
        state.TakeClosedWindows(watermark, windows);
        return windows;
    }

    [Fact]
    public void Purchases_and_returns_of_one_day_make_one_activity_window()
    {
        var state = Create();

        state.Apply(Order("1", Day1.AddHours(8), 139.12m, units: 6));
        state.Apply(Order("2", Day1.AddHours(9), 20.00m, units: 2));
        state.Apply(Order("C3", Day1.AddHours(10), 5.10m, OrderKind.Return));

        var window = Assert.Single(Closed(state, Day1.AddDays(1)));
        Assert.Equal(new ActivityWindow("17850", Day1, 2, 159.12m, 1, 5.10m, 8), window);
        Assert.Equal(79.56m, window.Aov);
    }

    [Fact]
    public void A_window_is_emitted_only_once_the_watermark_passes_its_end()
    {
        var state = Create();
        state.Apply(Order("1", Day1.AddHours(8), 10m));

        Assert.Empty(Closed(state, Day1.AddDays(1).AddTicks(-1)));
        Assert.Single(Closed(state, Day1.AddDays(1)));
        Assert.Empty(Closed(state, Day1.AddDays(2)));
    }

    [Fact]
    public void A_late_order_reemits_its_window_with_corrected_totals()
    {
        var state = Create();
        state.Apply(Order("1", Day1.AddHours(8), 10m));
        state.Apply(Order("2", Day1.AddDays(1).AddHours(8), 7m));
        Assert.Single(Closed(state, Day1.AddDays(1)));

        state.Apply(Order("late", Day1.AddHours(23), 5m));

        var window = Assert.Single(Closed(state, Day1.AddDays(1).AddHours(1)));
        Assert.Equal(Day1, window.WindowStart);
        Assert.Equal(2, window.Orders);
        Assert.Equal(15m, window.Revenue);
    }

    [Fact]
    public void A_repeated_order_id_is_applied_once()
    {
        var state = Create();

        Assert.Equal(ApplyResult.Applied, state.Apply(Order("1", Day1.AddHours(8), 10m)));
        Assert.Equal(ApplyResult.Duplicate, state.Apply(Order("1", Day1.AddHours(9), 99m)));

        var window = Assert.Single(Closed(state, Day1.AddDays(1)));
        Assert.Equal(1, window.Orders);
        Assert.Equal(10m, window.Revenue);
    }

    [Fact]
    public void Every_one_of_thousands_of_order_ids_within_retention_is_remembered()
    {
        var state = Create();
        for (var i = 0; i < 5_000; i++)
        {
            var at = Day1.AddMinutes(i);
            Assert.Equal(ApplyResult.Applied, state.Apply(Order($"o{i}", at, 1m)));
            // Each id again, and an id from far back: the table has grown many times in between.
            Assert.Equal(ApplyResult.Duplicate, state.Apply(Order($"o{i}", at, 1m)));
            Assert.Equal(ApplyResult.Duplicate, state.Apply(Order($"o{i / 2}", at, 1m)));
        }

        Assert.Equal(5_000, state.RememberedOrderIds);
        Assert.Equal(5_000, state.Purchases);
    }

    [Fact]
    public void Order_ids_are_forgotten_after_the_retention_horizon()
    {
        var state = Create();
        for (var day = 0; day < 200; day++) state.Apply(Order($"o{day}", Day1.AddDays(day), 1m));

        Assert.InRange(state.RememberedOrderIds, 91, 182);
        Assert.Equal(ApplyResult.BeyondRetention, state.Apply(Order("o0", Day1, 1m)));
        // The ids within the retention are all still remembered after the pruning.
        Assert.All(Enumerable.Range(110, 90), day => Assert.Equal(ApplyResult.Duplicate, state.Apply(Order($"o{day}", Day1.AddDays(day), 1m))));
    }

    [Fact]
    public void Taking_all_windows_includes_the_open_ones()
    {
        var state = Create();
        state.Apply(Order("1", Day1.AddHours(8), 10m));
        state.Apply(Order("2", Day1.AddDays(5), 3m));

        var windows = new List<ActivityWindow>();
        state.TakeAllWindows(windows);

        Assert.Equal([Day1, Day1.AddDays(5)], windows.Select(w => w.WindowStart).Order());
        Assert.Equal(0, state.PendingWindows);
    }

    [Fact]
    public void A_window_with_only_returns_has_no_average_order_value()
    {
        var state = Create();
        state.Apply(Order("C1", Day1, 4m, OrderKind.Return));

        var window = Assert.Single(Closed(state, Day1.AddDays(1)));

        Assert.Null(window.Aov);
        Assert.Equal(0, window.Units);
    }

    [Fact]
    public void Repeat_spend_sums_the_purchases_of_every_purchase_day_but_the_first()
    {
        var state = Create();
        state.Apply(Order("1", Day1.AddHours(8), 10m));
        state.Apply(Order("2", Day1.AddHours(9), 5m));
        state.Apply(Order("3", Day1.AddDays(3), 20m));
        state.Apply(Order("4", Day1.AddDays(3).AddHours(2), 2m));
        state.Apply(Order("C5", Day1.AddDays(4), 7m, OrderKind.Return));

        var summary = state.Summarize(Day1.AddDays(10));

        Assert.Equal(1, summary.History!.Value.X);
        Assert.Equal(22m, summary.RepeatSpend);
    }

    [Fact]
    public void A_late_order_on_an_earlier_day_turns_the_old_first_day_into_a_repeat_one()
    {
        var state = Create();
        state.Apply(Order("1", Day1.AddDays(2), 10m));
        state.Apply(Order("2", Day1.AddDays(2).AddHours(1), 4m));
        Assert.Equal(0m, state.Summarize(Day1.AddDays(10)).RepeatSpend);

        state.Apply(Order("0", Day1, 3m));

        Assert.Equal(14m, state.Summarize(Day1.AddDays(10)).RepeatSpend);
        state.Apply(Order("0b", Day1.AddHours(5), 1m));
        Assert.Equal(14m, state.Summarize(Day1.AddDays(10)).RepeatSpend);
    }

    [Fact]
    public void Orders_on_days_out_of_order_are_kept_per_day_and_their_windows_leave_oldest_first()
    {
        var state = Create();
        var windows = new PeriodWindows(TimeSpan.FromDays(1));

        state.Apply(Order("1", Day1.AddDays(2).AddHours(9), 30m));
        state.Apply(Order("2", Day1.AddHours(9), 10m));
        state.Apply(Order("3", Day1.AddDays(1).AddHours(9), 20m));
        state.Apply(Order("4", Day1.AddHours(10), 1m));

        Assert.Equal((2, 11m), state.ActivityIn(windows.IndexOf(Day1)));
        Assert.Equal((0, 0m), state.ActivityIn(windows.IndexOf(Day1.AddDays(3))));
        var emitted = new List<ActivityWindow>();
        state.TakeAllWindows(emitted);
        Assert.Equal([(Day1, 11m), (Day1.AddDays(1), 20m), (Day1.AddDays(2), 30m)], emitted.Select(w => (w.WindowStart, w.Revenue)));
    }

    [Fact]
    public void A_new_customers_first_order_costs_a_few_hundred_bytes()
    {
        Create().Apply(Order("0", Day1, 1m)); // compiled before measuring
        var order = Order("1", Day1.AddHours(9), 10m);

        var before = GC.GetAllocatedBytesForCurrentThread();
        Create().Apply(order);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Every customer starts with one: 832 bytes with a map of its periods, 576 with a map of its order ids.
        Assert.True(allocated <= 480, $"a new customer and its first order took {allocated} bytes");
    }

    [Fact]
    public void A_new_customers_first_four_orders_cost_a_few_hundred_bytes()
    {
        var orders = Enumerable.Range(0, 4).Select(i => Order($"o{i}", Day1.AddHours(i), 1m)).ToList();
        foreach (var order in orders) Create().Apply(order); // compiled before measuring

        var before = GC.GetAllocatedBytesForCurrentThread();
        var state = Create();
        foreach (var order in orders) state.Apply(order);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // With a map of its order ids, grown twice by the fourth, 824 bytes.
        Assert.True(allocated <= 650, $"a new customer and its first four orders took {allocated} bytes");
    }

    [Fact]
    public void A_customers_growing_table_of_order_ids_takes_the_tables_others_outgrew()
    {
        var orders = Enumerable.Range(0, 12).Select(i => Order($"o{i}", Day1.AddHours(i), 1m)).ToList();
        for (var warmUp = 0; warmUp < 2; warmUp++) // compiled, and the tables of 4 and 8 ids outgrown, before measuring
        {
            var earlier = Create();
            foreach (var order in orders) earlier.Apply(order);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var state = Create();
        foreach (var order in orders) state.Apply(order);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Its tables of 4 and 8 ids were the earlier customers': 888 bytes when each table was new. The earlier customers
        // had the same order ids, so a table not cleared would have made duplicates here.
        Assert.True(allocated <= 700, $"a new customer and its first twelve orders took {allocated} bytes");
        Assert.Equal(12, state.RememberedOrderIds);
    }
}
