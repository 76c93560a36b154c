using StreamMetrics.Core.Forecasting;

namespace StreamMetrics.Core.Tests.Forecasting;

public sealed class ExponentialSmoothingTests
{
    // Worked by hand, season length 2, α = β = γ = 0.5, no damping:
    // start   level 2 (mean of 1, 3), trend (3 − 2) / 2 = 0.5, seasonal −1, 1
    // t=2 y=2 forecast 1.5    level 2.75      trend 0.625      s0 −0.75
    // t=3 y=4 forecast 4.375  level 3.1875    trend 0.53125    s1 0.8125
    // t=4 y=3 forecast 2.96875 level 3.734375 trend 0.5390625  s0 −0.734375
    // t=5 y=5 forecast 5.0859375 level 4.23046875 trend 0.517578125 s1 0.76953125
    private static readonly double[] Series = [1, 3, 2, 4, 3, 5];

    [Fact]
    public void Holt_Winters_forecasts_equal_the_values_worked_by_hand()
    {
        var model = ExponentialSmoothing.HoltWinters(Series, seasonLength: 2, alpha: 0.5, beta: 0.5, gamma: 0.5);

        Assert.Equal(ForecastMethod.HoltWinters, model.Method);
        Assert.Equal(4.23046875 + 0.517578125 - 0.734375, model.Forecast(1), 12);
        Assert.Equal(4.23046875 + 2 * 0.517578125 + 0.76953125, model.Forecast(2), 12);
        Assert.Equal(4.23046875 + 3 * 0.517578125 - 0.734375, model.Forecast(3), 12);
        // One-step errors 0.5, −0.375, 0.03125, −0.0859375.
        var sd = Math.Sqrt((0.25 + 0.140625 + 0.0009765625 + 0.00738525390625) / 4);
        Assert.Equal(sd, model.ResidualSd, 12);
        Assert.Equal(sd, model.ForecastSd(1), 12);
        // c₁ = α(1 + β) = 0.75; c₂ = α(1 + 2β) + γ = 1.5, as 2 is a whole season.
        Assert.Equal(sd * Math.Sqrt(1 + 0.75 * 0.75), model.ForecastSd(2), 12);
        Assert.Equal(sd * Math.Sqrt(1 + 0.75 * 0.75 + 1.5 * 1.5), model.ForecastSd(3), 12);
    }

    [Fact]
    public void Damping_shortens_the_trend_of_each_further_step()
    {
        var damped = ExponentialSmoothing.HoltWinters(Series, seasonLength: 2, alpha: 0.5, beta: 0.5, gamma: 0.5, phi: 0.9);
        var undamped = ExponentialSmoothing.HoltWinters(Series, seasonLength: 2, alpha: 0.5, beta: 0.5, gamma: 0.5);
        Assert.True(damped.Forecast(3) - damped.Forecast(1) < undamped.Forecast(3) - undamped.Forecast(1));
    }

    [Fact]
    public void Simple_exponential_smoothing_equals_the_values_worked_by_hand()
    {
        // level 2 → error 2, level 3 → error 0, level 3.
        var model = ExponentialSmoothing.Simple([2, 4, 3], alpha: 0.5);
        Assert.Equal(ForecastMethod.Simple, model.Method);
        Assert.Equal(3, model.Forecast(1));
        Assert.Equal(3, model.Forecast(5));
        Assert.Equal(Math.Sqrt(2), model.ResidualSd, 12);
        Assert.Equal(Math.Sqrt(2) * Math.Sqrt(1 + 0.25), model.ForecastSd(2), 12);
    }

    [Fact]
    public void A_fit_finds_the_weekly_pattern_of_a_clean_seasonal_series()
    {
        double[] week = [10, 12, 14, 13, 11, 0, 5];
        var series = Enumerable.Range(0, 8 * 7).Select(d => week[d % 7] + 0.01 * d).ToArray();

        var model = ExponentialSmoothing.FitHoltWinters(series, 7);

        for (var h = 1; h <= 7; h++) Assert.Equal(week[(series.Length + h - 1) % 7] + 0.01 * (series.Length + h - 1), model.Forecast(h), 1);
    }
}
