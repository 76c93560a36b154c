using StreamMetrics.Core.Time;

namespace StreamMetrics.Core.Tests.Time;

public sealed class PendingPeriodsTests
{
    [Fact]
    public void Closing_a_period_hands_out_its_customers_once()
    {
        var pending = new PendingPeriods();
        pending.Add(10, "a");
        pending.Add(10, "b");
        pending.Add(11, "a");

        var customers = new HashSet<string>();
        pending.TakeClosed(firstOpenIndex: 11, customers);

        Assert.Equal(["a", "b"], customers.Order());
        Assert.Equal(1, pending.Count);
    }

    [Fact]
    public void A_late_order_reopens_an_old_period()
    {
        var pending = new PendingPeriods();
        pending.Add(12, "a");
        pending.Add(9, "b");

        var customers = new HashSet<string>();
        pending.TakeClosed(firstOpenIndex: 12, customers);

        Assert.Equal(["b"], customers);
    }

    [Fact]
    public void Taking_all_leaves_nothing_pending()
    {
        var pending = new PendingPeriods();
        pending.Add(1, "a");
        pending.Add(2, "b");

        var customers = new HashSet<string>();
        pending.TakeAll(customers);

        Assert.Equal(2, customers.Count);
        Assert.Equal(0, pending.Count);
    }
}
