using StreamMetrics.Core.Demand;

namespace StreamMetrics.Core.Forecasting;

/// <summary>
/// Watches one key's daily units as its days close: judges each closed day against the 95% interval
/// of the forecast made the day before, and forecasts the days ahead.
/// </summary>
/// <remarks>
/// A day found out of range enters the model's history as its forecast, not as observed: otherwise a
/// one-day spike would be learnt as a weekly pattern and the same weekday of the next week would be
/// flagged too (replacing an outlier by its prediction, as robust smoothing does). Only the last
/// <see cref="DailyForecaster.HistoryDays"/> days are kept, which is all the forecaster uses.
/// </remarks>
public sealed class DemandMonitor(DemandKey key)
{
    private readonly List<double> _history = [];
    private ExponentialSmoothing? _model;

    public DemandKey Key { get; } = key;

    /// <summary>The day the next <see cref="CloseDay"/> is for, as a day number since the Unix epoch; null before the first.</summary>
    public int? NextDay { get; private set; }

    /// <summary>Takes the units of the next day in; returns an alert when they fall outside the day-ahead 95% interval.</summary>
    public DemandAlert? CloseDay(DateTimeOffset day, double units)
    {
        DemandAlert? alert = null;
        if (_history.Count >= 2 * DailyForecaster.Week && _model is { } model)
        {
            var forecast = DailyForecaster.Of(model, 1);
            if (units < forecast.Lower95 || units > forecast.Upper95)
                alert = new DemandAlert(Key, day, units, forecast.Forecast, forecast.Lower95, forecast.Upper95);
        }
        _history.Add(alert?.Forecast ?? units);
        NextDay = (int)Math.Floor((day - DateTimeOffset.UnixEpoch).TotalDays) + 1;
        if (_history.Count > DailyForecaster.HistoryDays) _history.RemoveAt(0);
        _model = DailyForecaster.Fit(_history); // one fit a day: it judges the next day and forecasts from this one
        return alert;
    }

    /// <summary>Forecasts for the days after the last closed one.</summary>
    public IReadOnlyList<DayForecast> Forecast(int horizons) =>
        _model is { } model ? [.. Enumerable.Range(1, horizons).Select(h => DailyForecaster.Of(model, h))] : DailyForecaster.Forecast(_history, horizons);
}
