using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace StreamMetrics.Core.Forecasting;

/// <summary>
/// Additive Holt-Winters (ETS(A,A,A)) and its special case simple exponential smoothing (ETS(A,N,N)),
/// fitted by minimising the one-step squared error, with prediction intervals from the in-sample
/// residuals (Hyndman and Athanasopoulos, Forecasting: Principles and Practice, 3rd ed., §8.3 and
/// Table 8.8 for the h-step variance).
/// </summary>
/// <remarks>
/// Holt-Winters starts from the first two seasons: the level is the first season's mean, the trend
/// the change of the mean from the first season to the second per step, and each seasonal index the
/// first season's value less its mean. Smoothing starts with the second season.
/// </remarks>
public sealed class ExponentialSmoothing
{
    private readonly double[] _seasonal;
    private readonly double _level;
    private readonly double _trend;
    private readonly int _seasonOfNext;

    private ExponentialSmoothing(ForecastMethod method, double alpha, double beta, double gamma, double phi, int seasonLength,
        double level, double trend, double[] seasonal, int seasonOfNext, double residualSd)
    {
        Method = method;
        (Alpha, Beta, Gamma, Phi, SeasonLength) = (alpha, beta, gamma, phi, seasonLength);
        (_level, _trend, _seasonal, _seasonOfNext) = (level, trend, seasonal, seasonOfNext);
        ResidualSd = residualSd;
    }

    public ForecastMethod Method { get; }

    public double Alpha { get; }

    public double Beta { get; }

    public double Gamma { get; }

    /// <summary>The trend's damping: each step ahead carries φ times the trend of the step before.</summary>
    public double Phi { get; }

    public int SeasonLength { get; }

    /// <summary>The standard deviation of the one-step in-sample errors.</summary>
    public double ResidualSd { get; }

    /// <summary>Holt-Winters at given parameters; needs two full seasons.</summary>
    public static ExponentialSmoothing HoltWinters(IReadOnlyList<double> series, int seasonLength, double alpha, double beta, double gamma, double phi = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(series.Count, 2 * seasonLength);
        var (level, trend, seasonal, sse, count) = RunHoltWinters(series, seasonLength, alpha, beta, gamma, phi);
        return new ExponentialSmoothing(ForecastMethod.HoltWinters, alpha, beta, gamma, phi, seasonLength, level, trend, seasonal,
            series.Count % seasonLength, Math.Sqrt(sse / count));
    }

    /// <summary>Simple exponential smoothing at a given α; needs two values.</summary>
    public static ExponentialSmoothing Simple(IReadOnlyList<double> series, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(series.Count, 2);
        var (level, sse, count) = RunSimple(series, alpha);
        return new ExponentialSmoothing(ForecastMethod.Simple, alpha, 0, 0, 1, 1, level, 0, [0], 0, Math.Sqrt(sse / count));
    }

    /// <summary>Holt-Winters with α, β, γ chosen to minimise the one-step squared error.</summary>
    public static ExponentialSmoothing FitHoltWinters(IReadOnlyList<double> series, int seasonLength)
    {
        var best = Minimise(p => RunHoltWinters(series, seasonLength, p[0], p[1], p[2], Damping(p[3])).Sse, [0.3, 0.05, 0.1, 0.5]);
        return HoltWinters(series, seasonLength, best[0], best[1], best[2], Damping(best[3]));
    }

    // φ between 0.8 and 0.98, the range in which damping is usually searched (FPP §8.2).
    private static double Damping(double share) => 0.8 + 0.18 * share;

    /// <summary>Simple exponential smoothing with α chosen to minimise the one-step squared error.</summary>
    public static ExponentialSmoothing FitSimple(IReadOnlyList<double> series) =>
        Simple(series, Minimise(p => RunSimple(series, p[0]).Sse, [0.3])[0]);

    /// <summary>The point forecast <paramref name="horizon"/> steps after the last value.</summary>
    public double Forecast(int horizon)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        return _level + DampedSteps(horizon) * _trend + _seasonal[(_seasonOfNext + horizon - 1) % SeasonLength];
    }

    /// <summary>φ + φ² + … + φʰ: how many trend steps a forecast h days ahead carries.</summary>
    private double DampedSteps(int horizon)
    {
        double steps = 0, power = 1;
        for (var j = 1; j <= horizon; j++) steps += power *= Phi;
        return steps;
    }

    /// <summary>
    /// The standard deviation of the <paramref name="horizon"/>-step error: σ²(1 + Σⱼ₌₁ʰ⁻¹ cⱼ²), with
    /// cⱼ = α(1 + β(φ + … + φʲ)) + γ·[j mod m = 0] (FPP Table 8.8 with damping).
    /// </summary>
    public double ForecastSd(int horizon)
    {
        var sum = 1.0;
        for (var j = 1; j < horizon; j++)
        {
            var c = Alpha * (1 + DampedSteps(j) * Beta) + (Method == ForecastMethod.HoltWinters && j % SeasonLength == 0 ? Gamma : 0);
            sum += c * c;
        }
        return ResidualSd * Math.Sqrt(sum);
    }

    private static (double Level, double Trend, double[] Seasonal, double Sse, int Count) RunHoltWinters(
        IReadOnlyList<double> y, int m, double alpha, double beta, double gamma, double phi)
    {
        double first = 0, second = 0;
        for (var i = 0; i < m; i++)
        {
            first += y[i];
            second += y[m + i];
        }
        var level = first / m;
        var trend = (second - first) / m / m;
        var seasonal = new double[m];
        for (var i = 0; i < m; i++) seasonal[i] = y[i] - level;

        double sse = 0;
        for (var t = m; t < y.Count; t++)
        {
            var s = seasonal[t % m];
            var damped = phi * trend;
            var error = y[t] - (level + damped + s);
            sse += error * error;
            var newLevel = alpha * (y[t] - s) + (1 - alpha) * (level + damped);
            seasonal[t % m] = gamma * (y[t] - level - damped) + (1 - gamma) * s;
            trend = beta * (newLevel - level) + (1 - beta) * damped;
            level = newLevel;
        }
        return (level, trend, seasonal, sse, y.Count - m);
    }

    private static (double Level, double Sse, int Count) RunSimple(IReadOnlyList<double> y, double alpha)
    {
        var level = y[0];
        double sse = 0;
        for (var t = 1; t < y.Count; t++)
        {
            var error = y[t] - level;
            sse += error * error;
            level += alpha * error;
        }
        return (level, sse, y.Count - 1);
    }

    /// <summary>Nelder–Mead over the logits of parameters that live in (0, 1), so every trial point is valid.</summary>
    private static double[] Minimise(Func<double[], double> sse, double[] start)
    {
        static double Logistic(double x) => 1 / (1 + Math.Exp(-x));
        var objective = ObjectiveFunction.Value(x => sse([.. x.Select(Logistic)]));
        var initial = Vector<double>.Build.DenseOfEnumerable(start.Select(p => Math.Log(p / (1 - p))));
        try
        {
            var result = new NelderMeadSimplex(convergenceTolerance: 1e-9, maximumIterations: 5_000)
                .FindMinimum(objective, initial, Vector<double>.Build.Dense(start.Length, 1.0));
            return [.. result.MinimizingPoint.Select(Logistic)];
        }
        catch (MaximumIterationsException)
        {
            return start; // a flat or erratic error surface: the conventional start is as good a choice as any
        }
    }
}

/// <summary>How a forecast was made.</summary>
public enum ForecastMethod
{
    /// <summary>Simple exponential smoothing: level only.</summary>
    Simple,

    /// <summary>Additive Holt-Winters: level, trend and weekly season.</summary>
    HoltWinters,
}
