using StreamMetrics.Core.Demand;
using StreamMetrics.Core.Time;

namespace StreamMetrics.Core.Forecasting;

/// <summary>
/// What a summing partition knows about days: which are closed (every orders partition's demand
/// watermark has passed them), the daily units of the keys it forecasts, and a <see cref="DemandMonitor"/>
/// per key that judges each closed day and forecasts the days ahead.
/// </summary>
/// <remarks>
/// A day is judged with the units it had when it closed; a partial arriving later still corrects the
/// day's <c>demand</c> point, but not the verdict on it.
/// </remarks>
public sealed class DemandDays(int sourcePartitions, PeriodWindows periods, IReadOnlySet<string> levels, int horizons)
{
    private readonly Dictionary<int, long> _firstOpenBySource = new();
    private readonly Dictionary<DemandKey, Dictionary<int, double>> _openUnits = new();
    private readonly Dictionary<DemandKey, DemandMonitor> _monitors = new();
    private int? _firstOpenDay;

    /// <summary>Changes of units that arrived for a day already judged (a late order): they correct the day's point only.</summary>
    public long LateChanges { get; private set; }

    /// <summary>Takes in a change of a key's units in a period.</summary>
    public void Add(DemandKey key, long period, long units)
    {
        if (!levels.Contains(key.Level)) return;
        var day = DayOf(period);
        if (day < _firstOpenDay)
        {
            LateChanges++;
            return;
        }
        if (!_openUnits.TryGetValue(key, out var days)) _openUnits.Add(key, days = []);
        days[day] = days.GetValueOrDefault(day) + units;
    }

    /// <summary>Takes in an orders partition's watermark; when days close, judges them and forecasts from the last.</summary>
    public ClosedDays? Observe(DemandWatermark watermark)
    {
        _firstOpenBySource[watermark.SourcePartition] = Math.Max(watermark.FirstOpenPeriod, _firstOpenBySource.GetValueOrDefault(watermark.SourcePartition, long.MinValue));
        if (_firstOpenBySource.Count < sourcePartitions) return null;
        var firstOpenDay = DayOf(_firstOpenBySource.Values.Min());
        var from = _firstOpenDay ?? _openUnits.Values.SelectMany(d => d.Keys).DefaultIfEmpty(firstOpenDay).Min();
        if (firstOpenDay <= from) return null;

        var alerts = new List<DemandAlert>();
        var forecasts = new List<DayForecasts>();
        foreach (var (key, days) in _openUnits)
        {
            if (!_monitors.TryGetValue(key, out var monitor)) _monitors.Add(key, monitor = new DemandMonitor(key));
            // Every closed day is an origin, however many close at once, so that the points do not depend on how the watermarks arrived.
            for (var day = Math.Max(from, monitor.NextDay ?? days.Keys.Min()); day < firstOpenDay; day++)
            {
                var units = days.GetValueOrDefault(day);
                if (monitor.CloseDay(StartOfDay(day), units) is { } alert) alerts.Add(alert);
                forecasts.Add(new DayForecasts(key, StartOfDay(day + 1), monitor.Forecast(horizons), units));
            }
            foreach (var closed in days.Keys.Where(d => d < firstOpenDay).ToList()) days.Remove(closed);
        }
        _firstOpenDay = firstOpenDay;
        return new ClosedDays(alerts, forecasts);
    }

    private int DayOf(long period) => (int)Math.Floor((periods.StartOf(period) - DateTimeOffset.UnixEpoch).TotalDays);

    private static DateTimeOffset StartOfDay(int day) => DateTimeOffset.UnixEpoch.AddDays(day);
}

/// <summary>Days just closed: the alerts on them, and the forecasts made from each.</summary>
public sealed record ClosedDays(IReadOnlyList<DemandAlert> Alerts, IReadOnlyList<DayForecasts> Forecasts);

/// <summary>
/// A key's forecasts made when a day closed, for the days from <paramref name="FirstDay"/> (horizon 1) on,
/// and the units of the day just closed, the last actual figure the forecasts start from.
/// </summary>
public sealed record DayForecasts(DemandKey Key, DateTimeOffset FirstDay, IReadOnlyList<DayForecast> Forecasts, double ClosedDayUnits);
