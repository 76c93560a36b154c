using StreamMetrics.Core.Forecasting;

namespace StreamMetrics.Core.Tests.Forecasting;

public sealed class DailyForecasterTests
{
    [Fact]
    public void Two_weeks_of_regular_demand_get_Holt_Winters()
    {
        var history = Enumerable.Range(0, 14).Select(d => 20.0 + d % 7).ToArray();
        Assert.All(DailyForecaster.Forecast(history, 14), f => Assert.Equal(ForecastMethod.HoltWinters, f.Method));
    }

    [Fact]
    public void Less_than_two_weeks_fall_back_to_simple_exponential_smoothing()
    {
        var forecasts = DailyForecaster.Forecast([5, 7, 6, 8, 7, 6, 7, 8, 6, 7], 3);
        Assert.All(forecasts, f => Assert.Equal(ForecastMethod.Simple, f.Method));
        Assert.Equal(forecasts[0].Forecast, forecasts[2].Forecast);
    }

    [Fact]
    public void Sparse_demand_falls_back_to_simple_exponential_smoothing_and_never_forecasts_below_zero()
    {
        // Demand on one day in five over six weeks.
        var history = Enumerable.Range(0, 42).Select(d => d % 5 == 0 ? 10.0 : 0).ToArray();

        var forecasts = DailyForecaster.Forecast(history, 7);

        Assert.All(forecasts, f =>
        {
            Assert.Equal(ForecastMethod.Simple, f.Method);
            Assert.InRange(f.Forecast, 0.5, 5);
            Assert.Equal(0, f.Lower80);
            Assert.True(f.Lower95 <= f.Lower80 && f.Lower80 <= f.Forecast && f.Forecast <= f.Upper80 && f.Upper80 <= f.Upper95);
        });
    }

    [Fact]
    public void One_day_of_history_forecasts_that_day_and_none_forecasts_zero()
    {
        Assert.Equal(4, DailyForecaster.Forecast([4], 1)[0].Forecast);
        Assert.Equal(0, DailyForecaster.Forecast([], 1)[0].Forecast);
    }

    [Fact]
    public void One_day_of_history_gives_a_band_as_wide_as_the_day_not_a_single_value()
    {
        var forecast = DailyForecaster.Forecast([21_167], 1)[0];

        Assert.Equal(21_167, forecast.Forecast);
        Assert.Equal(21_167, forecast.Sd);
        Assert.Equal(0, forecast.Lower80);
        Assert.Equal(21_167 * (1 + DailyForecaster.Z80), forecast.Upper80, 1e-6);
    }
}
