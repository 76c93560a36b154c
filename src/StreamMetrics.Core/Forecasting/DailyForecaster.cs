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
    private const double Z80 = 1.2815515655446004, Z95 = 1.959963984540054;

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
        if (Fit(history) is not { } model)
            return [.. Enumerable.Range(1, horizons).Select(h => new DayForecast(h, ForecastMethod.Simple, history.Count == 1 ? Math.Max(0, history[0]) : 0, 0, 0, 0, 0))];
        return [.. Enumerable.Range(1, horizons).Select(h => Of(model, h))];
    }

    public static DayForecast Of(ExponentialSmoothing model, int horizon)
    {
        var point = model.Forecast(horizon);
        // Units are counts, which vary at least as much as a Poisson count of the same mean: a series the
        // model fits almost exactly must not get an interval narrower than that.
        var sd = Math.Max(model.ForecastSd(horizon), Math.Sqrt(Math.Max(point, 1)));
        return new DayForecast(horizon, model.Method, Math.Max(0, point),
            Math.Max(0, point - Z80 * sd), Math.Max(0, point + Z80 * sd), Math.Max(0, point - Z95 * sd), Math.Max(0, point + Z95 * sd));
    }
}

/// <summary>One day's forecast: the point, and the bounds of the central 80% and 95% prediction intervals.</summary>
public sealed record DayForecast(int Horizon, ForecastMethod Method, double Forecast, double Lower80, double Upper80, double Lower95, double Upper95);
