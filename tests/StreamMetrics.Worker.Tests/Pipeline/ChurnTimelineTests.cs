using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Segments;
using StreamMetrics.Worker.Pipeline;

namespace StreamMetrics.Worker.Tests.Pipeline;

public sealed class ChurnTimelineTests
{
    private static readonly DateTimeOffset Day1 = DateTimeOffset.Parse("2011-03-01T00:00:00Z"), Day2 = Day1.AddDays(1);

    [Fact]
    public void Totals_sum_the_partitions_only_over_periods_every_partition_with_data_has_closed()
    {
        var timeline = new ChurnTimeline();
        timeline.Record(0, Overview(Day1, atRisk: 3, []));
        timeline.Record(1, Overview(Day1, atRisk: 4, []));
        timeline.Record(0, Overview(Day2, atRisk: 5, []));

        var totals = timeline.Totals([0, 1, 2]);

        var period = Assert.Single(totals);
        Assert.Equal(Day1, period.PeriodStart);
        Assert.Equal(7, period.CustomersByState[ChurnState.AtRisk]);
        Assert.Equal(2, period.CustomersByState[ChurnState.Active]);
        Assert.Equal(5, Assert.Single(timeline.Totals([0]), p => p.PeriodStart == Day2).CustomersByState[ChurnState.AtRisk]);
        Assert.Equal(Day2, timeline.Latest([0])!.PeriodStart);
        Assert.Null(timeline.Latest([2]));
    }

    [Fact]
    public void The_top_at_risk_customers_come_from_each_owned_partitions_latest_period()
    {
        var timeline = new ChurnTimeline();
        timeline.Record(0, Overview(Day2, atRisk: 2, [Customer("a", 50m), Customer("b", 10m)]));
        timeline.Record(0, Overview(Day1, atRisk: 9, [Customer("old", 999m)])); // a re-evaluation of an older period does not replace the latest
        timeline.Record(1, Overview(Day1, atRisk: 1, [Customer("c", 30m)]));
        timeline.Record(2, Overview(Day1, atRisk: 1, [Customer("revoked", 500m)]));

        Assert.Equal(["a", "c", "b"], timeline.TopAtRisk([0, 1]).Select(c => c.CustomerId));
    }

    private static ChurnOverview Overview(DateTimeOffset periodStart, long atRisk, IReadOnlyList<AtRiskCustomer> top) =>
        new(periodStart, new Dictionary<ChurnState, long> { [ChurnState.New] = 0, [ChurnState.Active] = 1, [ChurnState.AtRisk] = atRisk, [ChurnState.Churned] = 0 }, top);

    private static AtRiskCustomer Customer(string id, decimal revenue) => new(id, revenue, 0.3, 60, "at_risk");
}
