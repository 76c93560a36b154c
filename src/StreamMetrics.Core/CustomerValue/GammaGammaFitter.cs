using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;
using StreamMetrics.Core.Churn;

namespace StreamMetrics.Core.CustomerValue;

/// <summary>
/// Fits Gamma-Gamma by maximum likelihood on the repeat buyers' (x, m̄ₓ): Nelder–Mead on ln p, ln(q−1) and ln(γ/s),
/// where s is the buyers' mean m̄ₓ. The shift keeps q above 1, so that every customer's expected spend is finite; the
/// scale makes the search the same whatever the currency. Buyers are summed in a fixed order, so the fit depends on
/// the population and the start only.
/// </summary>
public static class GammaGammaFitter
{
    /// <summary>Repeat buyers needed before a fit, as for the purchase models.</summary>
    public const int MinRepeatBuyers = BgNbdFitter.MinRepeatBuyers;

    /// <summary>Fits the repeat buyers among <paramref name="population"/>; null when there are too few of them or no convergence, so the caller keeps its last fit.</summary>
    public static GammaGammaFit? TryFit(IEnumerable<SpendHistory> population, GammaGammaParameters? start = null)
    {
        var buyers = RepeatBuyers(population);
        return PopulationFitGuard.TryFit(buyers.Length, () => Fit(buyers, start));
    }

    /// <summary>Fits the repeat buyers among <paramref name="population"/>: those with repeat purchases of positive mean spend (the density has no mass at 0).</summary>
    public static GammaGammaFit Fit(IEnumerable<SpendHistory> population, GammaGammaParameters? start = null)
    {
        var buyers = RepeatBuyers(population);
        if (buyers.Length == 0) throw new ArgumentException("Gamma-Gamma needs repeat buyers with a positive spend.", nameof(population));
        var scale = buyers.Average(b => b.MeanSpend);
        // Without a previous fit: p = 1, q = 2 and γ = the mean spend, whose population mean is that mean spend.
        var from = start ?? new GammaGammaParameters(1, 2, scale);
        var initial = Vector<double>.Build.DenseOfArray([Math.Log(from.P), Math.Log(from.Q - 1), Math.Log(from.Gamma / scale)]);
        var objective = ObjectiveFunction.Value(logs => logs.Any(l => Math.Abs(l) > 12) ? double.PositiveInfinity : -LogLikelihood(FromLogs(logs, scale), buyers));
        var step = Vector<double>.Build.Dense(3, start is null ? 0.5 : 0.1);
        var result = new NelderMeadSimplex(convergenceTolerance: 1e-10, maximumIterations: 20_000).FindMinimum(objective, initial, step);
        return new GammaGammaFit(FromLogs(result.MinimizingPoint, scale), -result.FunctionInfoAtMinimum.Value, buyers.Length);
    }

    /// <summary>The repeat buyers' log-likelihood at the given parameters.</summary>
    public static double LogLikelihood(GammaGammaParameters parameters, IEnumerable<SpendHistory> population) =>
        LogLikelihood(parameters, RepeatBuyers(population));

    private static double LogLikelihood(GammaGammaParameters parameters, SpendHistory[] buyers)
    {
        var sum = 0.0;
        foreach (var buyer in buyers) sum += GammaGamma.LogLikelihood(parameters, buyer);
        return double.IsFinite(sum) ? sum : double.NegativeInfinity;
    }

    private static SpendHistory[] RepeatBuyers(IEnumerable<SpendHistory> population) =>
        [.. population.Where(s => s.RepeatDays > 0 && s.MeanSpend > 0).OrderBy(s => s.RepeatDays).ThenBy(s => s.MeanSpend)];

    private static GammaGammaParameters FromLogs(Vector<double> logs, double scale) =>
        new(Math.Exp(logs[0]), 1 + Math.Exp(logs[1]), scale * Math.Exp(logs[2]));
}
