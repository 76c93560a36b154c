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
            new("champions", "France", "web", ChurnState.Active, 2, 30m, false, false, "c1", 300m, 0.9, 2),
            new("champions", "Germany", "web", ChurnState.AtRisk, 0, 0m, false, false, "c2", 400m, 0.3, 70),
            new("lost", "France", null, ChurnState.Churned, 1, 5m, false, true, "c3", 5m, 0.1, 0),
            new("new_customers", "France", "app", ChurnState.New, 1, 12.5m, true, false, "c4", 12.5m, null, 0),
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
            new("champions", "France", "web", ChurnState.Active, 2, 30m, false, false, "c1", 300m, 0.9, 2),
            new("champions", "Germany", "web", ChurnState.AtRisk, 0, 0m, false, false, "c2", 400m, 0.3, 70),
            new("lost", "France", null, ChurnState.Churned, 1, 5m, false, true, "c3", 5m, 0.1, 0),
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
}
