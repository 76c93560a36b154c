namespace StreamMetrics.Core.Forecasting;

/// <summary>
/// Forecasts a daily series a number of days ahead: Holt-Winters (damped trend, weekly season) when
/// there are at least two weeks of history and most days are not empty, simple exponential smoothing
/// otherwise.
/// Demand is never negative, so forecasts and interval bounds are clipped at zero.
/// </summary>
public static class DailyForecaster
{
    public const int Week = 7;

    /// <summary>z for a central 80% and 95% normal interval.</summary>
    public const double Z80 = 1.2815515655446004, Z95 = 1.959963984540054;

    /// <summary>
    /// Models are fitted on the last twelve weeks only: retail demand drifts with the season, and a
    /// longer history lets last year's holidays pull the smoothing parameters away from today's demand
    /// (on Online Retail, 12 weeks beat 26 and the whole year in MAE at every level; see the README).
    /// </summary>
    public const int HistoryDays = 12 * Week;

    /// <summary>A series with more empty days than this share is too sparse for a seasonal model.</summary>
    public const double MaxEmptyShareForSeasonal = 0.6;

    /// <summary>The model for <paramref name="history"/>; null when there are fewer than two days.</summary>
    public static ExponentialSmoothing? Fit(IReadOnlyList<double> history)
    {
        if (history.Count > HistoryDays) history = new ArraySegment<double>([.. history.Skip(history.Count - HistoryDays)]);
        if (history.Count < 2) return null;
        var empty = history.Count(v => v == 0);
        return history.Count >= 2 * Week && empty <= MaxEmptyShareForSeasonal * history.Count
            ? ExponentialSmoothing.FitHoltWinters(history, Week)
            : ExponentialSmoothing.FitSimple(history);
    }

    /// <summary>Forecasts for horizons 1…<paramref name="horizons"/> days after the last day of <paramref name="history"/>.</summary>
    public static IReadOnlyList<DayForecast> Forecast(IReadOnlyList<double> history, int horizons)
    {
        if (Fit(history) is { } model) return [.. Enumerable.Range(1, horizons).Select(h => Of(model, h))];
        // One day says what tomorrow may be, not how far it may stray: the band is as wide as the day itself
        // (a coefficient of variation of one), never the point alone.
        var last = history.Count == 1 ? history[0] : 0;
        return [.. Enumerable.Range(1, horizons).Select(h => DayForecast.Around(h, ForecastMethod.Simple, last, Math.Max(Math.Abs(last), CountSd(last))))];
    }

    public static DayForecast Of(ExponentialSmoothing model, int horizon)
    {
        var point = model.Forecast(horizon);
        return DayForecast.Around(horizon, model.Method, point, Math.Max(model.ForecastSd(horizon), CountSd(point)));
    }

    /// <summary>
    /// Units are counts, which vary at least as much as a Poisson count of the same mean: a series the
    /// model fits almost exactly must not get an interval narrower than that.
    /// </summary>
    public static double CountSd(double point) => Math.Sqrt(Math.Max(point, 1));
}

/// <summary>One day's forecast: the point, and the bounds of the central 80% and 95% prediction intervals.</summary>
public sealed record DayForecast(int Horizon, ForecastMethod Method, double Forecast, double Lower80, double Upper80, double Lower95, double Upper95)
{
    /// <summary>The standard deviation of the forecast's error, which the bounds were drawn from (before clipping at zero).</summary>
    public double Sd { get; init; }

    /// <summary>
    /// A forecast of <paramref name="point"/> with normal bounds <paramref name="sd"/> wide; demand is never
    /// negative, so point and bounds are clipped at zero.
    /// </summary>
    public static DayForecast Around(int horizon, ForecastMethod method, double point, double sd) =>
        new(horizon, method, Math.Max(0, point),
            Math.Max(0, point - DailyForecaster.Z80 * sd), Math.Max(0, point + DailyForecaster.Z80 * sd),
            Math.Max(0, point - DailyForecaster.Z95 * sd), Math.Max(0, point + DailyForecaster.Z95 * sd))
        { Sd = sd };
}
