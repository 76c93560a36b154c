using StreamMetrics.Core.Demand;
using StreamMetrics.Core.Forecasting;

namespace StreamMetrics.Core.Tests.Forecasting;

public sealed class DemandAlertTests
{
    private static readonly DemandKey Sku = new(DemandKey.Sku, "85123A");
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2011-01-03T00:00:00Z");

    /// <summary>A weekly pattern with a little deterministic noise, as a shop's daily units; closed on Saturdays.</summary>
    private static double[] Steady(int days) =>
        [.. Enumerable.Range(0, days).Select(d => d % 7 == 5 ? 0 : new[] { 120.0, 130, 125, 140, 150, 0, 60 }[d % 7] + (d * 37 % 11) - 5)];

    /// <summary>Closes the days one by one, the way the worker does.</summary>
    private static List<DemandAlert> Alerts(double[] series)
    {
        var monitor = new DemandMonitor(Sku);
        return [.. series.Select((units, day) => monitor.CloseDay(Start.AddDays(day), units)).OfType<DemandAlert>()];
    }

    [Fact]
    public void A_steady_series_raises_no_alert()
    {
        Assert.Empty(Alerts(Steady(84)));
    }

    [Fact]
    public void A_spike_raises_exactly_one_alert_on_its_day()
    {
        var series = Steady(84);
        series[70] *= 4;

        var alert = Assert.Single(Alerts(series));

        Assert.Equal(Start.AddDays(70), alert.Day);
        Assert.Equal(series[70], alert.Observed);
        Assert.True(alert.Observed > alert.Upper && alert.Lower <= alert.Forecast && alert.Forecast <= alert.Upper);
        Assert.Equal(Assert.Single(Alerts(series)).AlertId, alert.AlertId);
    }

    [Theory]
    [InlineData(1.5, 0.12)]
    [InlineData(2, 0.2)]
    [InlineData(3, 0.2)]
    [InlineData(0.6, 0.2)]
    public void A_lasting_step_is_followed_within_two_weeks(double factor, double dayTolerance)
    {
        const int step = 84;
        var series = Steady(step + 28);
        for (var day = step; day < series.Length; day++) series[day] *= factor;
        var monitor = new DemandMonitor(Sku);
        var alerts = new List<DemandAlert>();
        var dayAhead = new double[series.Length];
        for (var day = 0; day < series.Length; day++)
        {
            if (monitor.CloseDay(Start.AddDays(day), series[day]) is { } alert) alerts.Add(alert);
            if (day + 1 < series.Length) dayAhead[day + 1] = monitor.Forecast(1)[0].Forecast;
        }

        // From 14 days after the step on, a week of forecasts is within 5% of the week's units, and each open day's
        // within the tolerance of its units (which carry ±5 of noise; an additive season learns a bigger weekly
        // swing more slowly than a new level).
        for (var day = step + 14; day < series.Length; day++)
            if (series[day] > 0) Assert.InRange(dayAhead[day], (1 - dayTolerance) * series[day], (1 + dayTolerance) * series[day]);
        Assert.InRange(dayAhead.Skip(step + 14).Take(7).Sum(), 0.95 * series.Skip(step + 14).Take(7).Sum(), 1.05 * series.Skip(step + 14).Take(7).Sum());
        // The shift is told by a few alerts, not by one a day: three to see it, hardly more while the model catches up.
        Assert.InRange(alerts.Count, 3, 6);
        Assert.All(alerts, a => Assert.InRange(a.Day, Start.AddDays(step), Start.AddDays(step + 13)));
    }

    [Fact]
    public void The_same_days_in_give_the_same_alerts_and_forecasts_out()
    {
        var series = Steady(120);
        series[70] *= 4;
        for (var day = 90; day < series.Length; day++) series[day] *= 0.5;
        (List<DemandAlert> Alerts, IReadOnlyList<DayForecast> Forecasts) Run()
        {
            var monitor = new DemandMonitor(Sku);
            var alerts = series.Select((units, day) => monitor.CloseDay(Start.AddDays(day), units)).OfType<DemandAlert>().ToList();
            return (alerts, monitor.Forecast(14));
        }

        var (first, second) = (Run(), Run());
        Assert.Equal(first.Alerts, second.Alerts);
        Assert.Equal(first.Forecasts, second.Forecasts);
    }

    [Fact]
    public void Two_weeks_are_needed_before_a_day_can_be_judged()
    {
        var series = Steady(14);
        series[^1] = 10_000;
        Assert.Empty(Alerts(series));
    }

    [Fact]
    public void Forecasts_follow_the_weekly_pattern_of_the_closed_days()
    {
        var monitor = new DemandMonitor(Sku);
        var series = Steady(56);
        for (var day = 0; day < series.Length; day++) monitor.CloseDay(Start.AddDays(day), series[day]);

        var forecasts = monitor.Forecast(14);

        Assert.Equal(14, forecasts.Count);
        // Day 56 + h − 1 is a Saturday, when the shop is closed, for h = 6.
        Assert.InRange(forecasts[5].Forecast, 0, 3);
        Assert.InRange(forecasts[4].Forecast, 130, 170);
        Assert.All(forecasts, f => Assert.Equal(ForecastMethod.HoltWinters, f.Method));
    }
}
