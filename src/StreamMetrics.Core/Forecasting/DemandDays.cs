using StreamMetrics.Core.Demand;
using StreamMetrics.Core.Time;

namespace StreamMetrics.Core.Forecasting;

/// <summary>
/// What a summing partition knows about days: which are closed (every orders partition's demand
/// watermark has passed them), the daily units of the keys it forecasts, and a <see cref="DemandMonitor"/>
/// per key that judges each closed day and forecasts the days ahead.
/// </summary>
/// <remarks>
/// <para>
/// A day is judged with the units it had when it closed; a partial arriving later still corrects the
/// day's <c>demand</c> point, but not the verdict on it.
/// </para>
/// <para>
/// The forecasts made from each closed day are reconciled (<see cref="Reconciliation"/>): the total's with
/// its regions' and its categories', each group completed by an internal remainder (the total's units less
/// the group's: orders without a region, items without a category), watched like a key but never written.
/// That needs the keys of the total, region and category levels in one summing partition, which
/// <see cref="DemandPartial.PartitionIn"/> sees to. The day-ahead forecasts published are the reconciled
/// ones, and the next day is judged against them.
/// </para>
/// </remarks>
public sealed class DemandDays(int sourcePartitions, PeriodWindows periods, IReadOnlySet<string> levels, int horizons)
{
    /// <summary>The child levels of the total, each a group whose forecasts sum to the total's.</summary>
    private static readonly string[] ChildLevels = [DemandKey.Region, DemandKey.Category];

    private readonly Dictionary<int, long> _firstOpenBySource = new();
    private readonly Dictionary<DemandKey, Dictionary<int, double>> _openUnits = new();
    private readonly Dictionary<DemandKey, DemandMonitor> _monitors = new();
    private readonly Dictionary<string, DemandMonitor> _remainders = new(StringComparer.Ordinal);
    private int? _firstOpenDay;

    /// <summary>The smallest first open period of the orders partitions, once every one has said; null before.</summary>
    public long? FirstOpenPeriod => _firstOpenBySource.Count < sourcePartitions ? null : _firstOpenBySource.Values.Min();

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

    /// <summary>Takes in an orders partition's watermark; when days close, judges them and forecasts from each.</summary>
    public ClosedDays? Observe(DemandWatermark watermark)
    {
        _firstOpenBySource[watermark.SourcePartition] = Math.Max(watermark.FirstOpenPeriod, _firstOpenBySource.GetValueOrDefault(watermark.SourcePartition, long.MinValue));
        if (_firstOpenBySource.Count < sourcePartitions) return null;
        var firstOpenDay = DayOf(_firstOpenBySource.Values.Min());
        var from = _firstOpenDay ?? _openUnits.Values.SelectMany(d => d.Keys).DefaultIfEmpty(firstOpenDay).Min();
        if (firstOpenDay <= from) return null;

        var alerts = new List<DemandAlert>();
        var forecasts = new List<DayForecasts>();
        // In a fixed order, so that sums over keys, and so the forecasts, do not depend on when a key was first seen.
        var keys = _openUnits.Keys.OrderBy(k => k.Level, StringComparer.Ordinal).ThenBy(k => k.Key, StringComparer.Ordinal).ToList();
        // Every closed day is an origin, however many close at once, so that the points do not depend on how the watermarks arrived.
        for (var day = from; day < firstOpenDay; day++)
        {
            var closing = new List<(DemandMonitor Monitor, double Units)>();
            foreach (var key in keys)
            {
                var days = _openUnits[key];
                _monitors.TryGetValue(key, out var monitor);
                if (day < (monitor?.NextDay ?? (days.Count > 0 ? days.Keys.Min() : int.MaxValue))) continue;
                if (monitor is null) _monitors.Add(key, monitor = new DemandMonitor(key));
                var units = days.GetValueOrDefault(day);
                if (monitor.CloseDay(StartOfDay(day), units) is { } alert) alerts.Add(alert);
                closing.Add((monitor, units));
            }
            var made = closing.Select(c => c.Monitor.Forecast(horizons)).ToList();
            ReconcileWithTotal(day, closing, made);
            for (var i = 0; i < closing.Count; i++)
            {
                closing[i].Monitor.Published(made[i][0]);
                forecasts.Add(new DayForecasts(closing[i].Monitor.Key, StartOfDay(day + 1), made[i], closing[i].Units));
            }
        }
        foreach (var days in _openUnits.Values)
            foreach (var closed in days.Keys.Where(d => d < firstOpenDay).ToList()) days.Remove(closed);
        _firstOpenDay = firstOpenDay;
        return new ClosedDays(alerts, forecasts);
    }

    /// <summary>
    /// Replaces, horizon by horizon, the forecasts <paramref name="made"/> from <paramref name="day"/> of the total and of
    /// its children by reconciled ones; the remainders close the day here too.
    /// </summary>
    private void ReconcileWithTotal(int day, List<(DemandMonitor Monitor, double Units)> closing, List<IReadOnlyList<DayForecast>> made)
    {
        var total = closing.FindIndex(c => c.Monitor.Key == DemandKey.All);
        if (total < 0) return;
        var groups = new List<(List<int> Children, DemandMonitor Remainder, IReadOnlyList<DayForecast> RemainderForecasts)>();
        foreach (var level in ChildLevels)
        {
            var children = Enumerable.Range(0, closing.Count).Where(i => closing[i].Monitor.Key.Level == level).ToList();
            if (children.Count == 0) continue; // no child yet: nothing to be coherent with
            if (!_remainders.TryGetValue(level, out var remainder)) _remainders.Add(level, remainder = new DemandMonitor(new DemandKey(level, "")));
            remainder.CloseDay(StartOfDay(day), closing[total].Units - children.Sum(i => closing[i].Units)); // never an alert: nobody asked for this series
            groups.Add((children, remainder, remainder.Forecast(horizons)));
        }
        if (groups.Count == 0) return;
        var reconciled = Enumerable.Range(0, horizons).Select(h => Reconciliation.Reconcile(made[total][h],
            [.. groups.Select(g => (IReadOnlyList<DayForecast>)[.. g.Children.Select(i => made[i][h]), g.RemainderForecasts[h]])])).ToList();
        made[total] = [.. reconciled.Select(r => r.Total)];
        for (var g = 0; g < groups.Count; g++)
        {
            for (var c = 0; c < groups[g].Children.Count; c++) made[groups[g].Children[c]] = [.. reconciled.Select(r => r.Groups[g][c])];
            groups[g].Remainder.Published(reconciled[0].Groups[g][^1]);
        }
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
