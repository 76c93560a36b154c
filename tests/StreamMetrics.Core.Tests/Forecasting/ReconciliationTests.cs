using StreamMetrics.Core.Demand;
using StreamMetrics.Core.Forecasting;
using StreamMetrics.Core.Time;

namespace StreamMetrics.Core.Tests.Forecasting;

public sealed class ReconciliationTests
{
    [Fact]
    public void Each_series_takes_a_share_of_the_incoherence_in_proportion_to_its_variance()
    {
        // d = 100 − (50 + 30) = 20 and λ = d / (100 + 64 + 36) = 0.1.
        var (total, children) = Reconciliation.Reconcile(100, 100, [[(50, 64), (30, 36)]]);

        Assert.Equal(90, total, 1e-9);
        Assert.Equal(56.4, children[0][0], 1e-9);
        Assert.Equal(33.6, children[0][1], 1e-9);
    }

    [Fact]
    public void The_total_equals_the_sum_of_every_group_of_children()
    {
        var (total, children) = Reconciliation.Reconcile(1_000, 400, [[(700, 300), (150, 50), (20, 10)], [(500, 200), (600, 250), (0, 1)]]);

        Assert.Equal(total, children[0].Sum(), 1e-9);
        Assert.Equal(total, children[1].Sum(), 1e-9);
        Assert.All(children.SelectMany(c => c), child => Assert.True(child >= 0 && child <= total));
    }

    [Fact]
    public void A_child_pushed_below_zero_is_held_at_zero_and_the_total_is_never_below_a_child()
    {
        // Unreconciled, the small region would go to 1 + 25 · (−91/126) < 0; held at zero, the rest meet at 10 + 90/101.
        var (total, children) = Reconciliation.Reconcile(10, 1, [[(100, 100), (1, 25)]]);

        Assert.Equal(10 + 90 / 101.0, total, 1e-9);
        Assert.Equal(10 + 90 / 101.0, children[0][0], 1e-9);
        Assert.Equal(0, children[0][1]);
    }

    [Fact]
    public void Reconciled_bands_keep_their_base_width_around_the_new_point()
    {
        var (total, groups) = Reconciliation.Reconcile(DayForecast.Around(3, ForecastMethod.HoltWinters, 100, 10),
            [[DayForecast.Around(3, ForecastMethod.HoltWinters, 50, 8), DayForecast.Around(3, ForecastMethod.Simple, 30, 6)]]);

        Assert.Equal(90, total.Forecast, 1e-9);
        Assert.Equal(10, total.Sd);
        Assert.Equal(90 + DailyForecaster.Z80 * 10, total.Upper80, 1e-9);
        Assert.Equal(ForecastMethod.Simple, groups[0][1].Method);
        Assert.Equal(3, groups[0][1].Horizon);
        Assert.All(groups[0].Append(total), f => Assert.True(f.Lower80 < f.Upper80 && f.Lower95 <= f.Lower80 && f.Upper80 <= f.Upper95));
    }

    [Fact]
    public void The_keys_of_the_reconciled_levels_meet_in_the_totals_summing_partition_and_skus_spread()
    {
        static int PartitionOf(DemandKey key, int partitions) => new DemandPartial(key, 0, 0, default).PartitionIn(partitions);
        foreach (var partitions in new[] { 1, 4, 12 })
        {
            var totals = PartitionOf(DemandKey.All, partitions);
            Assert.All(new[] { "United Kingdom", "France", "EIRE", "Unspecified" }, region => Assert.Equal(totals, PartitionOf(new(DemandKey.Region, region), partitions)));
            Assert.Equal(totals, PartitionOf(new(DemandKey.Category, "lighting"), partitions));
        }
        Assert.True(Enumerable.Range(0, 100).Select(i => PartitionOf(new(DemandKey.Sku, $"SKU{i}"), 4)).Distinct().Count() == 4);
    }

    [Fact]
    public void Forecasts_made_as_days_close_never_put_the_total_below_its_regions_and_sum_up_with_orders_without_a_region()
    {
        var days = new DemandDays(1, new PeriodWindows(TimeSpan.FromDays(1)), new HashSet<string> { DemandKey.Total, DemandKey.Region }, 14);
        var uk = new DemandKey(DemandKey.Region, "United Kingdom");
        var france = new DemandKey(DemandKey.Region, "France");
        var forecasts = new List<DayForecasts>();
        const int first = 15_000;
        for (var day = first; day < first + 70; day++)
        {
            // The UK sells on weekdays, France now and then; a fifth of the units come from orders without a region.
            long ukUnits = day % 7 == 2 ? 0 : 100 + day * 37 % 23, franceUnits = day % 5 == 0 ? 40 : 0, unplaced = (ukUnits + franceUnits) / 4;
            days.Add(DemandKey.All, day, ukUnits + franceUnits + unplaced);
            if (ukUnits != 0) days.Add(uk, day, ukUnits);
            if (franceUnits != 0) days.Add(france, day, franceUnits);
            forecasts.AddRange(days.Observe(new DemandWatermark(0, day + 1))!.Forecasts);
        }

        var byOrigin = forecasts.ToLookup(f => f.FirstDay);
        Assert.Equal(70, byOrigin.Count);
        foreach (var origin in byOrigin)
        {
            var total = origin.Single(f => f.Key == DemandKey.All);
            var regions = origin.Where(f => f.Key.Level == DemandKey.Region).ToList();
            for (var h = 0; h < 14; h++)
            {
                Assert.All(regions, r => Assert.True(r.Forecasts[h].Forecast <= total.Forecasts[h].Forecast + 1e-9));
                Assert.True(regions.Sum(r => r.Forecasts[h].Forecast) <= total.Forecasts[h].Forecast + 1e-9);
                Assert.All(origin, f => Assert.True(f.Forecasts[h].Forecast == 0 || f.Forecasts[h].Lower80 < f.Forecasts[h].Upper80));
            }
        }
        // The remainder is never written: only the keys that were given.
        Assert.Equal([france, uk, DemandKey.All], forecasts.Select(f => f.Key).Distinct().OrderBy(k => k.ToString(), StringComparer.Ordinal));
    }
}
