using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Segments;

namespace StreamMetrics.Core.Tests.Segments;

public sealed class ChurnOverviewTests
{
    private static readonly DateTimeOffset Day = DateTimeOffset.Parse("2011-05-01T00:00:00Z");

    [Fact]
    public void Counts_every_state_and_ranks_at_risk_customers_by_lifetime_revenue_then_id()
    {
        SegmentContribution[] contributions =
        [
            At("c1", ChurnState.Active, 500m),
            At("c2", ChurnState.AtRisk, 120m),
            At("c3", ChurnState.AtRisk, 900m),
            At("c4", ChurnState.Churned, 2_000m),
            At("c5", ChurnState.AtRisk, 120m),
            At("c0", ChurnState.AtRisk, 120m),
            At("c6", ChurnState.New, 10m),
            At("c7", ChurnState.None, 0m),
            .. Enumerable.Range(10, 10).Select(i => At($"small{i}", ChurnState.AtRisk, 1m)),
        ];

        var overview = ChurnOverview.Of(contributions, Day);

        Assert.Equal(Day, overview.PeriodStart);
        Assert.Equal(new Dictionary<ChurnState, long> { [ChurnState.New] = 1, [ChurnState.Active] = 1, [ChurnState.AtRisk] = 14, [ChurnState.Churned] = 1 },
            overview.CustomersByState);
        Assert.Equal(["c3", "c0", "c2", "c5", "small10", "small11", "small12", "small13", "small14", "small15"], overview.TopAtRisk.Select(c => c.CustomerId));
        Assert.Equal(new AtRiskCustomer("c3", 900m, 0.4, 80, "at_risk"), overview.TopAtRisk[0]);
    }

    [Fact]
    public void A_partition_without_at_risk_customers_has_an_empty_ranking_and_zero_counts()
    {
        var overview = ChurnOverview.Of([At("c1", ChurnState.Active, 5m)], Day);

        Assert.Empty(overview.TopAtRisk);
        Assert.Equal(0, overview.CustomersByState[ChurnState.AtRisk]);
    }

    private static SegmentContribution At(string customerId, ChurnState state, decimal revenueTotal) =>
        new("at_risk", "France", "web", state, 0, 0m, false, false, customerId, revenueTotal, 0.4, 80, null);
}
