using StreamMetrics.Core.Demand;
using StreamMetrics.Core.Time;

namespace StreamMetrics.Core.Tests.Demand;

public sealed class DemandTotalsTests
{
    private static readonly PeriodWindows Hours = new(TimeSpan.FromHours(1));
    private static readonly long Start = Hours.IndexOf(DateTimeOffset.Parse("2011-01-10T00:00:00Z"));

    [Fact]
    public void Partials_of_two_partitions_add_up_and_a_newer_one_replaces_its_partitions()
    {
        var totals = new DemandTotals();
        totals.Apply(Partial(0, Start, 3));
        totals.Apply(Partial(1, Start, 4));

        var change = totals.Apply(Partial(0, Start, 5));

        Assert.Equal((7L, 9L), (change!.Value.Previous.Units, change.Value.Total.Units));
    }

    [Fact]
    public void Sums_further_behind_the_first_open_period_than_the_retention_are_dropped_and_stay_dropped()
    {
        var totals = new DemandTotals();
        for (var hour = 0; hour < 48; hour++) totals.Apply(Partial(0, Start + hour, 1));

        // Open from hour 48 on, with a day's retention: hours 0–23 can no longer change.
        totals.ForgetFinal(Start + 48, Hours, TimeSpan.FromDays(1));

        Assert.Equal(24, totals.Count);
        Assert.Null(totals.Apply(Partial(1, Start + 23, 1)));
        Assert.NotNull(totals.Apply(Partial(1, Start + 24, 1)));
        totals.ForgetFinal(Start + 30, Hours, TimeSpan.FromDays(1)); // an older watermark forgets nothing more
        Assert.Equal(24, totals.Count);
    }

    private static DemandPartial Partial(int source, long period, long units) => new(DemandKey.All, source, period, new DemandFigures(units, 1, units));
}
