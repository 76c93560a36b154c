using StreamMetrics.Core.Demand;
using StreamMetrics.Core.Forecasting;
using StreamMetrics.Worker.Pipeline;

namespace StreamMetrics.Worker.Tests.Pipeline;

public sealed class DemandTimelineTests
{
    private static readonly DateTimeOffset Day = DateTimeOffset.Parse("2011-03-01T00:00:00Z");

    [Fact]
    public void Keeps_each_closed_days_units_and_the_latest_forecast_with_the_total_first_then_the_busiest_regions()
    {
        var timeline = new DemandTimeline();
        timeline.Record(0, Made(DemandKey.All, Day, units: 100));
        timeline.Record(1, Made(new DemandKey(DemandKey.Region, "France"), Day, units: 20));
        timeline.Record(1, Made(new DemandKey(DemandKey.Region, "France"), Day.AddDays(1), units: 25));
        timeline.Record(2, Made(new DemandKey(DemandKey.Region, "Spain"), Day, units: 30));
        timeline.Record(2, Made(new DemandKey(DemandKey.Category, "books"), Day, units: 500));

        var series = timeline.Busiest(regions: 1);

        Assert.Equal(["all", "France"], series.Select(s => s.Key.Key));
        var france = series[1];
        Assert.Equal([(Day, 20.0), (Day.AddDays(1), 25.0)], france.Days);
        Assert.Equal(Day.AddDays(2), france.FirstForecastDay);
        Assert.Equal(26, Assert.Single(france.Forecast).Forecast);
    }

    [Fact]
    public void A_summing_partition_that_went_to_another_worker_takes_its_keys_with_it()
    {
        var timeline = new DemandTimeline();
        timeline.Record(1, Made(new DemandKey(DemandKey.Region, "France"), Day, units: 20));
        timeline.Record(2, Made(new DemandKey(DemandKey.Region, "Spain"), Day, units: 30));

        timeline.Forget(2);

        Assert.Equal(["France"], timeline.Busiest(regions: 5).Select(s => s.Key.Key));
    }

    /// <summary>The forecasts made when <paramref name="day"/> closed with <paramref name="units"/>: one day ahead, one more unit.</summary>
    private static DayForecasts Made(DemandKey key, DateTimeOffset day, double units) =>
        new(key, day.AddDays(1), [new DayForecast(1, ForecastMethod.Simple, units + 1, units - 5, units + 5, units - 9, units + 9)], units);
}
