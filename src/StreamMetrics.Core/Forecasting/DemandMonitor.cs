using StreamMetrics.Core.Demand;

namespace StreamMetrics.Core.Forecasting;

/// <summary>
/// Watches one key's daily units as its days close: judges each closed day against the 95% interval
/// of the forecast published for it the day before, and forecasts the days ahead.
/// </summary>
/// <remarks>
/// <para>
/// A day outside the 95% interval raises an alert and enters the model's history at the interval's
/// nearer bound, not as observed: a Huber-type correction, ψ(r) = max(−k, min(k, r)) with k = 1.96 on the
/// day-ahead error in units of its standard deviation (Gelper, Fried and Croux, "Robust forecasting with
/// exponential and Holt-Winters smoothing", J. Forecasting 29, 2010, who use k = 2). A one-day spike then
/// moves the model by a bounded amount and is not learnt as a weekly pattern, yet the day still counts as
/// high, unlike replacing it by its forecast, which made a level shift invisible to the model for ever.
/// </para>
/// <para>
/// A level shift is not an outlier: once <see cref="ShiftDays"/> days of the last week were corrected in the
/// same direction, those days go back into the history as observed, and the next fit follows the new level.
/// The rule counts days within a week rather than days in a row, because closed days (a shop's Saturday)
/// fall inside any interval and would break every run.
/// </para>
/// <para>
/// Intervals are honest about what the monitor achieves, not only about how well the model fits its own
/// (corrected) history: the day-ahead standard deviation is at least the one implied by the last
/// <see cref="ErrorDays"/> one-step errors actually made (their 80% quantile of |error| / z₀.₉), scaled by
/// horizon as the model's own. Only the last <see cref="DailyForecaster.HistoryDays"/> days are kept, which
/// is all the forecaster uses. Everything is a function of the days closed, in order: the same days in give
/// the same alerts and forecasts out.
/// </para>
/// </remarks>
public sealed class DemandMonitor(DemandKey key)
{
    /// <summary>Corrected days in one direction within a week that mean the level moved rather than strayed.</summary>
    public const int ShiftDays = 3;

    /// <summary>How many of the last one-step errors calibrate the intervals.</summary>
    public const int ErrorDays = 8 * DailyForecaster.Week;

    /// <summary>One-step errors needed before they calibrate anything: two weeks.</summary>
    private const int MinErrorDays = 2 * DailyForecaster.Week;

    private readonly List<double> _history = [];
    private readonly List<double> _observed = [];
    private readonly List<int> _corrections = [];
    private readonly Queue<double> _errors = new();
    private ExponentialSmoothing? _model;
    private DayForecast? _dayAhead;

    public DemandKey Key { get; } = key;

    /// <summary>The day the next <see cref="CloseDay"/> is for, as a day number since the Unix epoch; null before the first.</summary>
    public int? NextDay { get; private set; }

    /// <summary>Takes the units of the next day in; returns an alert when they fall outside the day-ahead 95% interval.</summary>
    public DemandAlert? CloseDay(DateTimeOffset day, double units)
    {
        DemandAlert? alert = null;
        var entered = units;
        var correction = 0;
        if (_dayAhead is { } forecast)
        {
            if (_history.Count >= 2 * DailyForecaster.Week && (units < forecast.Lower95 || units > forecast.Upper95))
            {
                alert = new DemandAlert(Key, day, units, forecast.Forecast, forecast.Lower95, forecast.Upper95);
                (entered, correction) = units > forecast.Upper95 ? (forecast.Upper95, 1) : (forecast.Lower95, -1);
            }
            _errors.Enqueue(units - forecast.Forecast);
            if (_errors.Count > ErrorDays) _errors.Dequeue();
        }
        _history.Add(entered);
        _observed.Add(units);
        _corrections.Add(correction);
        if (_history.Count > DailyForecaster.HistoryDays)
        {
            _history.RemoveAt(0);
            _observed.RemoveAt(0);
            _corrections.RemoveAt(0);
        }
        if (correction != 0) RestoreIfShifted(correction);
        NextDay = (int)Math.Floor((day - DateTimeOffset.UnixEpoch).TotalDays) + 1;
        _model = DailyForecaster.Fit(_history); // one fit a day: it judges the next day and forecasts from this one
        _dayAhead = Forecast(1)[0];
        return alert;
    }

    /// <summary>
    /// Sets the day-ahead forecast the next day is judged against to the one published for it, when that
    /// differs from the model's own (reconciled with the other keys of a hierarchy).
    /// </summary>
    public void Published(DayForecast dayAhead)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(dayAhead.Horizon, 1);
        _dayAhead = dayAhead;
    }

    /// <summary>Forecasts for the days after the last closed one.</summary>
    public IReadOnlyList<DayForecast> Forecast(int horizons)
    {
        if (_model is not { } model) return DailyForecaster.Forecast(_history, horizons);
        var errorSd = ErrorSd();
        var modelSd = model.ForecastSd(1);
        return
        [
            .. Enumerable.Range(1, horizons).Select(h =>
            {
                var forecast = DailyForecaster.Of(model, h);
                // The errors made calibrate the day ahead; further horizons widen as the model's own do.
                var calibrated = modelSd > 0 ? errorSd * model.ForecastSd(h) / modelSd : errorSd;
                return calibrated > forecast.Sd ? DayForecast.Around(h, model.Method, model.Forecast(h), calibrated) : forecast;
            }),
        ];
    }

    /// <summary>The standard deviation implied by the 80% quantile of the last absolute one-step errors; 0 before there are enough.</summary>
    private double ErrorSd()
    {
        if (_errors.Count < MinErrorDays) return 0;
        var absolute = _errors.Select(Math.Abs).Order().ToArray();
        return Math.Max(Quantile(absolute, 0.8) / DailyForecaster.Z80, Quantile(absolute, 0.95) / DailyForecaster.Z95);
    }

    /// <summary>The <paramref name="p"/> quantile of sorted values, interpolated linearly (Hyndman and Fan's type 7, R's default).</summary>
    private static double Quantile(double[] sorted, double p)
    {
        var position = p * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        return below + 1 < sorted.Length ? sorted[below] + (position - below) * (sorted[below + 1] - sorted[below]) : sorted[below];
    }

    /// <summary>When the last week holds <see cref="ShiftDays"/> corrections in <paramref name="direction"/>, they go back as observed.</summary>
    private void RestoreIfShifted(int direction)
    {
        var weekStart = Math.Max(0, _history.Count - DailyForecaster.Week);
        var sameWay = 0;
        for (var i = weekStart; i < _history.Count; i++)
            if (_corrections[i] == direction) sameWay++;
        if (sameWay < ShiftDays) return;
        for (var i = weekStart; i < _history.Count; i++)
        {
            if (_corrections[i] != direction) continue;
            _history[i] = _observed[i];
            _corrections[i] = 0;
        }
    }
}
