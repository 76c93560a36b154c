using StreamMetrics.Core.Demand;
using StreamMetrics.Core.Forecasting;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>
/// The daily units of the total and of each region as the demand summing side closes days, with the
/// forecast made at the last one, kept for the live view. Safe to use from any thread.
/// </summary>
/// <remarks>Bounded: the last <see cref="DaysKept"/> days of at most <see cref="KeysKept"/> keys; keys past that are not shown.</remarks>
public sealed class DemandTimeline
{
    private const int DaysKept = 60, KeysKept = 1_000;
    private readonly Lock _lock = new();
    private readonly Dictionary<DemandKey, KeyDays> _keys = new();

    public void Record(int summingPartition, DayForecasts made)
    {
        if (made.Key.Level is not (DemandKey.Total or DemandKey.Region)) return;
        lock (_lock)
        {
            if (!_keys.TryGetValue(made.Key, out var days))
            {
                if (_keys.Count >= KeysKept) return;
                _keys.Add(made.Key, days = new KeyDays(summingPartition));
            }
            days.Units[made.FirstDay.AddDays(-1)] = made.ClosedDayUnits;
            while (days.Units.Count > DaysKept) days.Units.RemoveAt(0);
            if (days.Forecast is null || days.Forecast.FirstDay <= made.FirstDay) days.Forecast = made;
        }
    }

    /// <summary>Drops the keys a summing partition owned, once it went to another worker.</summary>
    public void Forget(int summingPartition)
    {
        lock (_lock)
        {
            foreach (var key in _keys.Where(entry => entry.Value.SummingPartition == summingPartition).Select(entry => entry.Key).ToList()) _keys.Remove(key);
        }
    }

    /// <summary>The total, then the <paramref name="regions"/> regions with the most units over the days kept.</summary>
    public IReadOnlyList<DemandSeries> Busiest(int regions)
    {
        lock (_lock)
        {
            var ranked = _keys.Where(entry => entry.Key.Level == DemandKey.Region)
                .OrderByDescending(entry => entry.Value.Units.Values.Sum()).ThenBy(entry => entry.Key.Key, StringComparer.Ordinal)
                .Take(regions);
            return _keys.Where(entry => entry.Key.Level == DemandKey.Total).Concat(ranked)
                .Select(entry => new DemandSeries(entry.Key, [.. entry.Value.Units.Select(day => (day.Key, day.Value))], entry.Value.Forecast?.Forecasts ?? [],
                    entry.Value.Forecast?.FirstDay))
                .ToList();
        }
    }

    private sealed class KeyDays(int summingPartition)
    {
        public int SummingPartition { get; } = summingPartition;

        public SortedList<DateTimeOffset, double> Units { get; } = new();

        public DayForecasts? Forecast { get; set; }
    }
}

/// <summary>A key's closed days and the forecast made at the last of them, for the days from <see cref="FirstForecastDay"/> on.</summary>
public sealed record DemandSeries(DemandKey Key, IReadOnlyList<(DateTimeOffset Day, double Units)> Days, IReadOnlyList<DayForecast> Forecast, DateTimeOffset? FirstForecastDay);
