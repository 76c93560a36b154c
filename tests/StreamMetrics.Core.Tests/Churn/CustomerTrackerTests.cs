using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Customers;

namespace StreamMetrics.Core.Tests.Churn;

public sealed class CustomerTrackerTests
{
    private static readonly DateTimeOffset Day = DateTimeOffset.Parse("2011-06-01T00:00:00Z");

    private static CustomerMetrics Metrics(ChurnState state, string segment = "loyal_customers", long ordersTotal = 5, long orders30d = 1, double pAlive = 0.9) =>
        new("c1", Day, segment, state, ordersTotal, 100m, 20m, 0, 0, orders30d, 20m, orders30d, 20m, 10, 20, pAlive, 1 - pAlive, 0.5, 1.2, 30, 40, new(3, 3, 3));

    [Fact]
    public void A_first_purchase_makes_a_new_customer_and_later_purchases_say_nothing()
    {
        var tracker = new CustomerTracker();

        var first = tracker.OnPurchase("c1", Day, "none");
        var second = tracker.OnPurchase("c1", Day.AddDays(3), "none");

        Assert.Equal(new CustomerEvent("c1", "new_customer", Day, null, 0, 0, "none", null, "new"), first);
        Assert.Null(second);
        Assert.Equal(ChurnState.New, tracker.State);
    }

    [Fact]
    public void Falling_to_at_risk_then_churned_fires_each_once_and_a_purchase_reactivates()
    {
        var tracker = new CustomerTracker();
        tracker.OnPurchase("c1", Day, "none");
        Assert.Empty(tracker.Evaluate(Metrics(ChurnState.Active), Day.AddDays(1), 100));

        var atRisk = Assert.Single(tracker.Evaluate(Metrics(ChurnState.AtRisk, pAlive: 0.4), Day.AddDays(2), 100));
        Assert.Empty(tracker.Evaluate(Metrics(ChurnState.AtRisk, pAlive: 0.35), Day.AddDays(3), 100));
        var churned = Assert.Single(tracker.Evaluate(Metrics(ChurnState.Churned, pAlive: 0.1), Day.AddDays(4), 100));
        var back = tracker.OnPurchase("c1", Day.AddDays(5), "loyal_customers");

        Assert.Equal(("at_risk", "active", "at_risk", 0.4), (atRisk.Event, atRisk.From, atRisk.To, atRisk.PAlive));
        Assert.Equal(("churned", "at_risk", "churned"), (churned.Event, churned.From, churned.To));
        Assert.Equal(("reactivated", "churned", "active", Day.AddDays(5)), (back!.Event, back.From, back.To, back.EventTime));
        Assert.Equal(ChurnState.Active, tracker.State);
    }

    [Fact]
    public void An_engagement_drop_fires_once_per_episode()
    {
        var tracker = new CustomerTracker();
        tracker.OnPurchase("c1", Day, "none");
        var quiet = Metrics(ChurnState.Active, ordersTotal: 30, orders30d: 0); // 30 in 300 days: 3 expected a month, P(N = 0) = 0.0498

        Assert.Equal("engagement_drop", Assert.Single(tracker.Evaluate(quiet, Day.AddDays(1), 300)).Event);
        Assert.Empty(tracker.Evaluate(quiet, Day.AddDays(2), 300));
        Assert.Empty(tracker.Evaluate(quiet with { Orders30d = 3 }, Day.AddDays(3), 300));
        Assert.Equal("engagement_drop", Assert.Single(tracker.Evaluate(quiet, Day.AddDays(4), 300)).Event);
    }

    [Theory]
    [InlineData(2, 10, 0, false)]
    [InlineData(30, 300, 0, true)]
    [InlineData(30, 300, 1, false)]
    [InlineData(29, 300, 0, false)]
    [InlineData(100, 300, 4, true)]
    public void The_engagement_drop_rule_is_a_poisson_tail_below_five_percent(long purchases, double days, long orders30d, bool dropped)
    {
        Assert.Equal(dropped, EngagementDrop.IsDropped(purchases, days, orders30d));
    }

    [Fact]
    public void A_change_of_segment_is_an_event_with_both_segments()
    {
        var tracker = new CustomerTracker();
        tracker.Evaluate(Metrics(ChurnState.Active, segment: "champions"), Day, 100);

        var changed = Assert.Single(tracker.Evaluate(Metrics(ChurnState.Active, segment: "loyal_customers"), Day.AddDays(1), 100));

        Assert.Equal(("segment_changed", "champions", "loyal_customers"), (changed.Event, changed.From, changed.To));
    }

    [Fact]
    public void Alert_ids_are_the_same_for_the_same_event_and_differ_otherwise()
    {
        var one = new CustomerEvent("c1", "churned", Day, 0.1, 40, 0, "lost", "at_risk", "churned");

        Assert.Equal(one.AlertId, (one with { PAlive = 0.1 }).AlertId);
        Assert.NotEqual(one.AlertId, (one with { EventTime = Day.AddDays(1) }).AlertId);
        Assert.NotEqual(one.AlertId, (one with { Event = "at_risk" }).AlertId);
        Assert.Matches("^[0-9a-f]{16}$", one.AlertId);
        // The hash of "c1\nchurned\n634424832000000000" (customer, event and ticks, a line each): consumers de-duplicate by
        // it, so a replay by a newer worker must repeat it.
        Assert.Equal("b9a6595899628596", one.AlertId);
        Assert.Equal(StableHash.Of($"{one.CustomerId}\n{one.Event}\n{one.EventTime.UtcTicks}"), one.AlertHash);
    }

    [Fact]
    public void One_time_buyers_are_judged_by_the_populations_gap_to_a_second_purchase_and_repeat_buyers_by_P_no_order_in_90_days()
    {
        // Gaps 1..100 days: the 80th percentile is 80 days, the 95th 95 days.
        var population = Enumerable.Range(1, 100).Select(gap => new CustomerSummary($"r{gap}", new(1, gap, 200), 5, 2, 10m, gap));
        var classifier = new ChurnClassifier(new ChurnThresholds(), population);
        CustomerSummary OneTimeBuyer(double age) => new("o", new CustomerHistory(0, 0, age), age, 1, 10m);

        Assert.Equal((80.0, 95.0), classifier.OneTimeBuyerGaps);
        // A one-time buyer's P(no order) does not count: a low-rate population gives a brand-new customer a high one.
        Assert.Equal(ChurnState.New, classifier.Classify(OneTimeBuyer(80), 0.99));
        Assert.Equal(ChurnState.AtRisk, classifier.Classify(OneTimeBuyer(80.5), 0.01));
        Assert.Equal(ChurnState.Churned, classifier.Classify(OneTimeBuyer(96), 0.01));
        var repeatBuyer = new CustomerSummary("r", new(3, 10, 200), 190, 4, 10m, 5);
        Assert.Equal(ChurnState.Churned, classifier.Classify(repeatBuyer, 0.81));
        Assert.Equal(ChurnState.AtRisk, classifier.Classify(repeatBuyer, 0.8));
        Assert.Equal(ChurnState.AtRisk, classifier.Classify(repeatBuyer, 0.51));
        Assert.Equal(ChurnState.Active, classifier.Classify(repeatBuyer, 0.5));
        Assert.Equal(ChurnState.Active, classifier.Classify(repeatBuyer, null));
    }
}
