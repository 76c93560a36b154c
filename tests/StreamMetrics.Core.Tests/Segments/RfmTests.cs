using StreamMetrics.Core.Customers;
using StreamMetrics.Core.Replay;
using StreamMetrics.Core.Segments;
using StreamMetrics.Core.Tests.Replay;
using StreamMetrics.Core.Time;

namespace StreamMetrics.Core.Tests.Segments;

public sealed class RfmTests
{
    [Fact]
    public void Online_Retail_customers_fall_into_the_published_segments()
    {
        using var reader = DataSetFiles.Open("online-retail/online_retail.csv.gz");
        var windows = new PeriodWindows(TimeSpan.FromDays(1));
        var states = new Dictionary<string, CustomerState>();
        foreach (var order in ReplayReader.Read(ReplayFormat.OnlineRetail, reader).Orders)
        {
            if (!states.TryGetValue(order.CustomerId, out var state))
                states.Add(order.CustomerId, state = new CustomerState(order.CustomerId, windows, TimeSpan.FromDays(90)));
            state.Apply(order);
        }
        var end = DateTimeOffset.Parse("2011-12-10T00:00:00Z");
        var summaries = states.Values.Select(s => s.Summarize(end)).ToList();

        var cuts = RfmCutPoints.From(summaries);
        var counts = summaries.GroupBy(s => Rfm.SegmentOf(Rfm.Score(cuts, s))).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(new Dictionary<string, int>
        {
            ["champions"] = 794, ["loyal_customers"] = 624, ["lost"] = 780, ["hibernating"] = 558,
            ["potential_loyalist"] = 353, ["at_risk"] = 331, ["need_attention"] = 303, ["about_to_sleep"] = 297,
            ["promising"] = 166, ["new_customers"] = 67, ["cant_lose_them"] = 66, ["none"] = 33,
        }, counts);
    }

    [Fact]
    public void Cut_points_are_the_ceiling_quintile_positions_of_the_buyers()
    {
        var population = Enumerable.Range(1, 7)
            .Select(i => new CustomerSummary($"c{i}", new(0, 0, 10), i * 10, i, i * 100m))
            .Append(new CustomerSummary("never-bought", null, null, 0, 0));

        var cuts = RfmCutPoints.From(population);

        // n = 7: positions ⌈7k/5⌉ = 2, 3, 5, 6.
        Assert.Equal([20.0, 30, 50, 60], cuts.DaysSinceLastPurchase);
        Assert.Equal([2L, 3, 5, 6], cuts.Purchases);
        Assert.Equal([200m, 300, 500, 600], cuts.NetRevenue);
    }

    [Theory]
    [InlineData(5, 1, "new_customers")]
    [InlineData(5, 5, "champions")]
    [InlineData(3, 1, "about_to_sleep")]
    [InlineData(2, 3, "at_risk")]
    [InlineData(1, 5, "cant_lose_them")]
    [InlineData(1, 1, "lost")]
    public void Recency_and_frequency_name_the_segment(int r, int f, string segment)
    {
        Assert.Equal(segment, Rfm.SegmentOf(new RfmScore(r, f, 3)));
    }

    [Fact]
    public void A_customer_who_never_bought_has_no_segment()
    {
        var cuts = new RfmCutPoints([1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]);

        Assert.Equal(Rfm.NoSegment, Rfm.SegmentOf(Rfm.Score(cuts, new CustomerSummary("c", null, null, 0, -5m))));
    }
}
