using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Segments;
using StreamMetrics.Worker.Pipeline;

namespace StreamMetrics.Worker.Tests.Pipeline;

public sealed class SegmentTimelineTests
{
    private static readonly DateTimeOffset Day1 = DateTimeOffset.Parse("2011-03-01T00:00:00Z"), Day2 = Day1.AddDays(1);

    [Fact]
    public void The_ranking_sums_the_newest_period_every_partition_with_figures_has_closed_most_valuable_first()
    {
        var timeline = new SegmentTimeline();
        timeline.Record(0, Figures(Day1, ("champions", "France", 100m, 40.0), ("lost", "France", 10m, 1.0)));
        timeline.Record(1, Figures(Day1, ("champions", "Germany", 50m, 20.0), ("lost", "Germany", 900m, 30.0)));
        timeline.Record(0, Figures(Day2, ("champions", "France", 110m, 45.0)));

        var ranking = timeline.MostValuable([0, 1, 2]);

        Assert.NotNull(ranking);
        Assert.Equal(Day1, ranking.PeriodStart);
        Assert.Equal(
            [
                new SegmentValue("channel", "unknown", 4, 1_060m, 91.0), new SegmentValue("rfm", "champions", 2, 150m, 60.0),
                new SegmentValue("region", "Germany", 2, 950m, 50.0), new SegmentValue("region", "France", 2, 110m, 41.0),
                new SegmentValue("rfm", "lost", 2, 910m, 31.0),
            ], ranking.ByClv);
        Assert.Equal(Day2, timeline.MostValuable([0])!.PeriodStart);
        Assert.Null(timeline.MostValuable([2]));
    }

    [Fact]
    public void A_period_evaluated_again_replaces_its_figures()
    {
        var timeline = new SegmentTimeline();
        timeline.Record(0, Figures(Day1, ("champions", "France", 100m, 40.0)));
        timeline.Record(0, Figures(Day1, ("champions", "France", 100m, 42.5)));

        Assert.Equal(42.5, timeline.MostValuable([0])!.ByClv.Single(s => s.Scheme == "rfm").Clv12m);
    }

    private static IReadOnlyList<SegmentFigures> Figures(DateTimeOffset periodStart, params (string Rfm, string Region, decimal RevenueTotal, double Clv)[] customers) =>
        SegmentFigures.Sum(customers.Select((c, i) =>
            new SegmentContribution(c.Rfm, c.Region, null, ChurnState.Active, 0, 0m, false, false, $"c{i}", c.RevenueTotal, 0.9, 1, c.Clv)), periodStart);
}
