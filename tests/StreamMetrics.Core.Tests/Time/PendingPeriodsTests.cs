using StreamMetrics.Core.Time;

namespace StreamMetrics.Core.Tests.Time;

public sealed class PendingPeriodsTests
{
    [Fact]
    public void Closing_a_period_hands_out_its_customers_and_releases_its_offsets()
    {
        var pending = new PendingPeriods();
        pending.Add(10, "a", offset: 5);
        pending.Add(10, "b", offset: 3);
        pending.Add(11, "a", offset: 7);

        Assert.Equal(3, pending.LowestOffset);

        var customers = new HashSet<string>();
        pending.TakeClosed(firstOpenIndex: 11, customers);

        Assert.Equal(["a", "b"], customers.Order());
        Assert.Equal(7, pending.LowestOffset);
    }

    [Fact]
    public void A_late_order_reopens_an_old_period_with_its_own_offset()
    {
        var pending = new PendingPeriods();
        pending.Add(12, "a", offset: 20);
        pending.Add(9, "b", offset: 21);

        Assert.Equal(20, pending.LowestOffset);

        var customers = new HashSet<string>();
        pending.TakeClosed(firstOpenIndex: 12, customers);

        Assert.Equal(["b"], customers);
        Assert.Equal(20, pending.LowestOffset);
    }

    [Fact]
    public void Taking_all_leaves_nothing_pending()
    {
        var pending = new PendingPeriods();
        pending.Add(1, "a", 1);
        pending.Add(2, "b", 2);

        var customers = new HashSet<string>();
        pending.TakeAll(customers);

        Assert.Equal(2, customers.Count);
        Assert.Null(pending.LowestOffset);
        Assert.Equal(0, pending.Count);
    }
}
