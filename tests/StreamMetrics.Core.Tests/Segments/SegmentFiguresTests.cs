using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Profiles;
using StreamMetrics.Core.Segments;

namespace StreamMetrics.Core.Tests.Segments;

public sealed class SegmentFiguresTests
{
    [Fact]
    public void Contributions_add_up_per_scheme_and_segment()
    {
        var day = DateTimeOffset.Parse("2011-05-01T00:00:00Z");
        SegmentContribution[] contributions =
        [
            new("champions", "France", "web", ChurnState.Active, 2, 30m, false, false, "c1", 300m, 0.9, 2, 410.5),
            new("champions", "Germany", "web", ChurnState.AtRisk, 0, 0m, false, false, "c2", 400m, 0.3, 70, 52.25),
            new("lost", "France", null, ChurnState.Churned, 1, 5m, false, true, "c3", 5m, 0.1, 0, 0.75),
            new("new_customers", "France", "app", ChurnState.New, 1, 12.5m, true, false, "c4", 12.5m, null, 0, null),
        ];

        var figures = SegmentFigures.Sum(contributions, day).ToDictionary(f => (f.Scheme, f.Segment));

        var champions = figures[("rfm", "champions")];
        Assert.Equal((2L, 1L, 2L, 30m, 1L, 0L), (champions.Customers, champions.ActiveCustomers, champions.Orders, champions.Revenue, champions.AtRisk, champions.Churned));
        var france = figures[("region", "France")];
        Assert.Equal((3L, 3L, 4L, 47.5m, 1L, 1L, 1L), (france.Customers, france.ActiveCustomers, france.Orders, france.Revenue, france.Churned, france.NewCustomers, france.Reactivated));
        Assert.Equal(1, figures[("channel", "unknown")].Customers);
        Assert.Equal(day, france.PeriodStart);
        Assert.Equal(3 + 2 + 3, figures.Count);
    }

    [Fact]
    public void Each_profile_attribute_is_a_scheme_and_customers_without_it_are_unknown()
    {
        var day = DateTimeOffset.Parse("2011-05-01T00:00:00Z");
        var profiles = new ProfileTable(["age_band", "gender"]);
        profiles.Apply(Profile("c1", ("age_band", "25-34"), ("gender", "f")));
        profiles.Apply(Profile("c2", ("age_band", "25-34")));
        SegmentContribution[] contributions =
        [
            new("champions", "France", "web", ChurnState.Active, 2, 30m, false, false, "c1", 300m, 0.9, 2, null),
            new("champions", "Germany", "web", ChurnState.AtRisk, 0, 0m, false, false, "c2", 400m, 0.3, 70, null),
            new("lost", "France", null, ChurnState.Churned, 1, 5m, false, true, "c3", 5m, 0.1, 0, null),
        ];

        var figures = SegmentFigures.Sum(contributions, day, profiles).ToDictionary(f => (f.Scheme, f.Segment));

        var band = figures[("age_band", "25-34")];
        Assert.Equal((2L, 2L, 30m, 1L), (band.Customers, band.Orders, band.Revenue, band.AtRisk));
        Assert.Equal((1L, 1L), (figures[("age_band", "unknown")].Customers, figures[("age_band", "unknown")].Churned));
        Assert.Equal(1, figures[("gender", "f")].Customers);
        Assert.Equal(2, figures[("gender", "unknown")].Customers);
        Assert.Equal(2 + 2 + 2 + 2 + 2, figures.Count);
    }

    private static ProfileRecord Profile(string customerId, params (string Name, string Value)[] attributes) =>
        new(customerId, attributes.ToDictionary(a => a.Name, a => a.Value), null);

    /// <summary>
    /// Every scheme's segments carry their members' lifetime net revenue and 12-month CLV, summed;
    /// a member without a CLV (no model fitted yet) adds nothing, and neither does one InfluxDB could not store.
    /// </summary>
    [Fact]
    public void Every_schemes_segments_sum_their_members_lifetime_revenue_and_clv_and_a_member_without_clv_adds_zero()
    {
        var day = DateTimeOffset.Parse("2011-05-01T00:00:00Z");
        SegmentContribution[] contributions =
        [
            Member("c1", "champions", "France", "web", revenueTotal: 300.10m, clv: 410.5),
            Member("c2", "champions", "Germany", "web", revenueTotal: -20m, clv: 52.25),
            Member("c3", "lost", "France", null, revenueTotal: 5m, clv: null),
            Member("c4", "lost", "France", "app", revenueTotal: 12.5m, clv: double.NaN),
            Member("c5", "champions", "France", "app", revenueTotal: 0.4m, clv: 0.125),
        ];

        var figures = SegmentFigures.Sum(contributions, day).ToDictionary(f => (f.Scheme, f.Segment), f => (f.Customers, f.RevenueTotal, f.Clv12m));

        Assert.Equal(new Dictionary<(string, string), (long, decimal, double)>
        {
            [("rfm", "champions")] = (3, 280.50m, 462.875),
            [("rfm", "lost")] = (2, 17.5m, 0),
            [("region", "France")] = (4, 318.00m, 410.625),
            [("region", "Germany")] = (1, -20m, 52.25),
            [("channel", "web")] = (2, 280.10m, 462.75),
            [("channel", "app")] = (2, 12.9m, 0.125),
            [("channel", "unknown")] = (1, 5m, 0),
        }, figures);
    }

    private static SegmentContribution Member(string customerId, string rfmSegment, string region, string? channel, decimal revenueTotal, double? clv) =>
        new(rfmSegment, region, channel, ChurnState.Active, 0, 0m, false, false, customerId, revenueTotal, 0.8, 10, clv);
}
