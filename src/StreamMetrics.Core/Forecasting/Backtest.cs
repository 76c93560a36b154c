namespace StreamMetrics.Core.Forecasting;

/// <summary>
/// Rolling-origin evaluation of <see cref="DailyForecaster"/> (Hyndman and Athanasopoulos, FPP §5.10):
/// from each day of the test period, the model is fitted on the history up to that day and forecasts
/// the following days, against the naive (last value) and weekly seasonal-naive forecasts.
/// </summary>
public static class Backtest
{
    /// <summary>Scores a level: MAE averaged over its series, MASE against in-sample seasonal-naive one-step errors, and pooled 80% coverage.</summary>
    public static BacktestScore Evaluate(IReadOnlyList<double[]> series, int testDays, int maxHorizon)
    {
        var (mae, naive, seasonal, mase) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        var perSeries = new List<SeriesScore>();
        long covered = 0, forecasts = 0, coveredRegular = 0, forecastsRegular = 0;
        foreach (var y in series)
        {
            var coveredBefore = covered;
            var firstOrigin = y.Length - testDays - 1;
            if (firstOrigin < 1) continue;
            var regular = IsRegular(y.AsSpan(0, firstOrigin + 1));
            double modelError = 0, naiveError = 0, seasonalError = 0;
            var count = 0;
            for (var origin = firstOrigin; origin < y.Length - 1; origin++)
            {
                var history = new ArraySegment<double>(y, 0, origin + 1);
                var model = DailyForecaster.Fit(history);
                for (var h = 1; h <= maxHorizon && origin + h < y.Length; h++)
                {
                    var actual = y[origin + h];
                    var forecast = model is null ? new DayForecast(h, ForecastMethod.Simple, y[origin], 0, 0, 0, 0) : DailyForecaster.Of(model, h);
                    modelError += Math.Abs(actual - forecast.Forecast);
                    naiveError += Math.Abs(actual - y[origin]);
                    var seasonBack = origin + h - DailyForecaster.Week * (int)Math.Ceiling(h / (double)DailyForecaster.Week);
                    seasonalError += Math.Abs(actual - (seasonBack >= 0 ? y[seasonBack] : y[origin]));
                    var inside = actual >= forecast.Lower80 && actual <= forecast.Upper80;
                    if (inside) covered++;
                    forecasts++;
                    count++;
                    if (!regular) continue;
                    if (inside) coveredRegular++;
                    forecastsRegular++;
                }
            }
            mae.Add(modelError / count);
            naive.Add(naiveError / count);
            seasonal.Add(seasonalError / count);
            if (InSampleSeasonalNaiveMae(y, firstOrigin + 1) is > 0 and var scale) mase.Add(modelError / count / scale);
            perSeries.Add(new SeriesScore(modelError / count, seasonalError / count, (covered - coveredBefore) / (double)count,
                y.Skip(firstOrigin + 1).Count(v => v == 0) / (double)(y.Length - firstOrigin - 1), regular));
        }
        return new BacktestScore(Average(mae), Average(naive), Average(seasonal), Average(mase), Share(coveredRegular, forecastsRegular), mae.Count)
        {
            PerSeries = perSeries,
            Coverage80AllSeries = Share(covered, forecasts),
            RegularSeries = perSeries.Count(p => p.Regular),
        };
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

    private static double Share(long part, long whole) => whole == 0 ? double.NaN : part / (double)whole;

    private static double InSampleSeasonalNaiveMae(double[] y, int length)
    {
        double sum = 0;
        var count = 0;
        for (var t = DailyForecaster.Week; t < length; t++, count++) sum += Math.Abs(y[t] - y[t - DailyForecaster.Week]);
        return count == 0 ? 0 : sum / count;
    }

    private static double Average(List<double> values) => values.Count == 0 ? double.NaN : values.Average();
}

/// <summary>A level's backtest: mean absolute errors of the forecaster and both baselines, MASE, and the share of actuals of regular series inside the 80% interval.</summary>
public sealed record BacktestScore(double Mae, double MaeNaive, double MaeSeasonalNaive, double Mase, double Coverage80, int Series)
{
    /// <summary>The 80% coverage over all series, intermittent ones included.</summary>
    public double Coverage80AllSeries { get; init; }

    /// <summary>Series with regular demand: those <see cref="Coverage80"/> is measured on.</summary>
    public int RegularSeries { get; init; }

    /// <summary>Each series' own figures, in the order given.</summary>
    public IReadOnlyList<SeriesScore> PerSeries { get; init; } = [];
}

/// <summary>One series' backtest: its MAE, its seasonal-naive MAE, its 80% coverage, and the share of test days without demand.</summary>
public sealed record SeriesScore(double Mae, double MaeSeasonalNaive, double Coverage80, double EmptyShare, bool Regular);
