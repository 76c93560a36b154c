using StreamMetrics.Core.Demand;
using StreamMetrics.Core.Time;

namespace StreamMetrics.Core.Forecasting;

/// <summary>
/// Rolling-origin evaluation of the live demand path (Hyndman and Athanasopoulos, FPP §5.10): a data set's
/// daily units go, day by day, through the <see cref="DemandDays"/> a summing partition of the worker runs,
/// with its monitors, their corrections and alerts, and the reconciliation. From each day of the test
/// period, the forecasts made when that day closed (so from the history up to it only) are scored against
/// the naive (last value) and weekly seasonal-naive forecasts, and the alerts raised on test days are counted.
/// </summary>
public static class Backtest
{
    /// <summary>The levels the worker forecasts by default (<c>Demand:ForecastLevels</c>): their reconciliation is part of what is scored.</summary>
    public static readonly IReadOnlySet<string> LiveLevels = new HashSet<string>([DemandKey.Total, DemandKey.Region, DemandKey.Category], StringComparer.Ordinal);

    /// <summary>
    /// Runs every key of the live levels and the <paramref name="scored"/> keys of other levels through one
    /// <see cref="DemandDays"/>, and scores the <paramref name="scored"/> keys of each level over the last
    /// <paramref name="testDays"/> days, horizons 1…<paramref name="maxHorizon"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, BacktestScore> Run(DailyDemand demand, IReadOnlyDictionary<string, IReadOnlyList<DemandKey>> scored, int testDays, int maxHorizon)
    {
        var watched = demand.Keys.Where(k => LiveLevels.Contains(k.Level)).Concat(scored.Values.SelectMany(k => k)).ToHashSet();
        var days = new DemandDays(1, new PeriodWindows(TimeSpan.FromDays(1)), watched.Select(k => k.Level).ToHashSet(StringComparer.Ordinal), maxHorizon);
        var made = new Dictionary<DemandKey, Dictionary<int, IReadOnlyList<DayForecast>>>();
        var alerted = new Dictionary<DemandKey, HashSet<int>>();
        var unitsByDay = watched.SelectMany(key => demand.Days(key).Select(day => (Key: key, Day: day.Key, day.Value.Units))).ToLookup(u => u.Day);
        for (var day = demand.FirstDay; day <= demand.LastDay; day++)
        {
            foreach (var (key, _, units) in unitsByDay[day]) days.Add(key, day, units);
            if (days.Observe(new DemandWatermark(0, day + 1)) is not { } closed) continue;
            foreach (var forecasts in closed.Forecasts)
            {
                if (!made.TryGetValue(forecasts.Key, out var byOrigin)) made.Add(forecasts.Key, byOrigin = []);
                byOrigin[DayNumber(forecasts.FirstDay) - 1] = forecasts.Forecasts;
            }
            foreach (var alert in closed.Alerts)
            {
                if (!alerted.TryGetValue(alert.Key, out var onDays)) alerted.Add(alert.Key, onDays = []);
                onDays.Add(DayNumber(alert.Day));
            }
        }
        return scored.ToDictionary(level => level.Key, level => Score(demand, level.Value, made, alerted, testDays, maxHorizon));
    }

    private static BacktestScore Score(DailyDemand demand, IReadOnlyList<DemandKey> keys, Dictionary<DemandKey, Dictionary<int, IReadOnlyList<DayForecast>>> made,
        Dictionary<DemandKey, HashSet<int>> alerted, int testDays, int maxHorizon)
    {
        var (mae, naive, seasonal, mase) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        var perSeries = new List<SeriesScore>();
        long covered = 0, forecasts = 0, coveredRegular = 0, forecastsRegular = 0, alerts = 0, seriesDays = 0;
        foreach (var key in keys)
        {
            var y = demand.Units(key);
            var firstOrigin = y.Length - testDays - 1;
            if (firstOrigin < 1) continue;
            var byOrigin = made.GetValueOrDefault(key) ?? [];
            var regular = IsRegular(y.AsSpan(0, firstOrigin + 1));
            double modelError = 0, naiveError = 0, seasonalError = 0;
            long count = 0, coveredHere = 0;
            for (var origin = firstOrigin; origin < y.Length - 1; origin++)
            {
                // A key not seen yet by the origin has no forecast: nothing is expected of it.
                var fromOrigin = byOrigin.GetValueOrDefault(demand.FirstDay + origin);
                for (var h = 1; h <= maxHorizon && origin + h < y.Length; h++)
                {
                    var actual = y[origin + h];
                    var forecast = fromOrigin?[h - 1] ?? new DayForecast(h, ForecastMethod.Simple, 0, 0, 0, 0, 0);
                    modelError += Math.Abs(actual - forecast.Forecast);
                    naiveError += Math.Abs(actual - y[origin]);
                    seasonalError += Math.Abs(actual - SeasonalNaive(y, origin, h));
                    var inside = actual >= forecast.Lower80 && actual <= forecast.Upper80;
                    if (inside) coveredHere++;
                    count++;
                    if (!regular) continue;
                    if (inside) coveredRegular++;
                    forecastsRegular++;
                }
            }
            covered += coveredHere;
            forecasts += count;
            var testDemandDays = y.Skip(firstOrigin + 1).Count(v => v > 0);
            var testAlerts = alerted.GetValueOrDefault(key)?.Count(day => day > demand.FirstDay + firstOrigin) ?? 0;
            alerts += testAlerts;
            seriesDays += y.Length - firstOrigin - 1;
            mae.Add(modelError / count);
            naive.Add(naiveError / count);
            seasonal.Add(seasonalError / count);
            if (InSampleSeasonalNaiveMae(y, firstOrigin + 1) is > 0 and var scale) mase.Add(modelError / count / scale);
            perSeries.Add(new SeriesScore(key, modelError / count, seasonalError / count, coveredHere / (double)count,
                y.Skip(firstOrigin + 1).Count(v => v == 0) / (double)(y.Length - firstOrigin - 1), regular)
            {
                Alerts = testAlerts,
                DemandDays = testDemandDays,
                DayAhead = DayAheadScore.Of(y, firstOrigin, demand.FirstDay, byOrigin),
            });
        }
        return new BacktestScore(Average(mae), Average(naive), Average(seasonal), Average(mase), Share(coveredRegular, forecastsRegular), mae.Count)
        {
            PerSeries = perSeries,
            Coverage80AllSeries = Share(covered, forecasts),
            RegularSeries = perSeries.Count(p => p.Regular),
            AlertRate = Share(alerts, seriesDays),
        };
    }

    /// <summary>The same weekday in the last week before the origin: h days ahead looks back ⌈h/7⌉ weeks from the target.</summary>
    internal static double SeasonalNaive(double[] y, int origin, int horizon)
    {
        var seasonBack = origin + horizon - DailyForecaster.Week * (int)Math.Ceiling(horizon / (double)DailyForecaster.Week);
        return seasonBack >= 0 ? y[seasonBack] : y[origin];
    }

    /// <summary>
    /// Regular demand has an average interval between demand days of at most 1.32 days (Syntetos, Boylan
    /// and Croston 2005), judged on the history before the test. Intermittent series are scored for MAE
    /// but not for coverage: with most days at zero, any interval that reaches down to zero covers those
    /// days, so their coverage says nothing about the interval's width.
    /// </summary>
    private static bool IsRegular(ReadOnlySpan<double> history)
    {
        var demandDays = 0;
        foreach (var value in history) if (value != 0) demandDays++;
        return demandDays > 0 && history.Length / (double)demandDays <= 1.32;
    }

    internal static double Share(long part, long whole) => whole == 0 ? double.NaN : part / (double)whole;

    private static double InSampleSeasonalNaiveMae(double[] y, int length)
    {
        double sum = 0;
        var count = 0;
        for (var t = DailyForecaster.Week; t < length; t++, count++) sum += Math.Abs(y[t] - y[t - DailyForecaster.Week]);
        return count == 0 ? 0 : sum / count;
    }

    private static int DayNumber(DateTimeOffset day) => (int)((day - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerDay);

    private static double Average(List<double> values) => values.Count == 0 ? double.NaN : values.Average();
}

/// <summary>
/// A level's backtest: mean absolute errors of the forecaster and both baselines, MASE, the share of actuals of
/// regular series inside the 80% interval, and the alerts raised per series and day.
/// </summary>
public sealed record BacktestScore(double Mae, double MaeNaive, double MaeSeasonalNaive, double Mase, double Coverage80, int Series)
{
    /// <summary>The 80% coverage over all series, intermittent ones included.</summary>
    public double Coverage80AllSeries { get; init; }

    /// <summary>Series with regular demand: those <see cref="Coverage80"/> is measured on.</summary>
    public int RegularSeries { get; init; }

    /// <summary>
    /// Alerts raised on test days per series and test day: with honest 95% intervals, about 5%. (Per day with
    /// demand it is much higher for intermittent series, whose rare demand days are the unusual ones.)
    /// </summary>
    public double AlertRate { get; init; }

    /// <summary>Each series' own figures, in the order given.</summary>
    public IReadOnlyList<SeriesScore> PerSeries { get; init; } = [];
}

/// <summary>One series' backtest: its MAE, its seasonal-naive MAE, its 80% coverage, and the share of test days without demand.</summary>
public sealed record SeriesScore(DemandKey Key, double Mae, double MaeSeasonalNaive, double Coverage80, double EmptyShare, bool Regular)
{
    /// <summary>Alerts raised on test days.</summary>
    public int Alerts { get; init; }

    /// <summary>Test days with demand (units &gt; 0).</summary>
    public int DemandDays { get; init; }

    /// <summary>The day-ahead forecasts on test days with demand, as the live acceptance measures them.</summary>
    public DayAheadScore DayAhead { get; init; } = new(double.NaN, double.NaN, double.NaN);
}

/// <summary>Day-ahead (horizon 1) figures over the test days with demand: MAE, seasonal-naive MAE (same weekday a week before), 80% coverage.</summary>
public sealed record DayAheadScore(double Mae, double MaeSeasonalNaive, double Coverage80)
{
    internal static DayAheadScore Of(double[] y, int firstOrigin, int firstDay, IReadOnlyDictionary<int, IReadOnlyList<DayForecast>> byOrigin)
    {
        double error = 0, seasonal = 0;
        long covered = 0, days = 0;
        for (var origin = firstOrigin; origin < y.Length - 1; origin++)
        {
            var actual = y[origin + 1];
            if (actual <= 0) continue;
            var forecast = byOrigin.GetValueOrDefault(firstDay + origin)?[0] ?? new DayForecast(1, ForecastMethod.Simple, 0, 0, 0, 0, 0);
            error += Math.Abs(actual - forecast.Forecast);
            seasonal += Math.Abs(actual - Backtest.SeasonalNaive(y, origin, 1));
            if (actual >= forecast.Lower80 && actual <= forecast.Upper80) covered++;
            days++;
        }
        return new DayAheadScore(error / days, seasonal / days, Backtest.Share(covered, days));
    }
}
