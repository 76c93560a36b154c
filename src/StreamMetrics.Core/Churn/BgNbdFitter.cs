using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace StreamMetrics.Core.Churn;

/// <summary>
/// Fits BG/NBD by maximum likelihood: Nelder–Mead on the logarithms of (r, α, a, b), so every trial
/// point is valid, over the population grouped by identical (x, tₓ, T) so that the cost follows the
/// number of distinct histories rather than of customers.
/// </summary>
public static class BgNbdFitter
{
    /// <summary>A start that suits populations measured in days; a previous fit is a better one.</summary>
    public static readonly BgNbdParameters DefaultStart = new(0.5, 10, 1, 2);

    /// <summary>
    /// Repeat buyers needed before a fit: with a handful of them, all young, the likelihood is flat and its
    /// maximum degenerate (α and a near 0), and the closed forms of such a fit break down.
    /// </summary>
    public const int MinRepeatBuyers = 30;

    /// <summary>Fits the population; null when it cannot be fitted (too few repeat buyers yet, or no convergence), so the caller keeps its last fit.</summary>
    public static BgNbdFit? TryFit(IEnumerable<CustomerHistory> population, BgNbdParameters? start = null)
    {
        var histories = population as IReadOnlyCollection<CustomerHistory> ?? population.ToList();
        // Without repeat purchases the drop-out parameters a and b are not identified: the likelihood has no maximum.
        return PopulationFitGuard.TryFit(histories.Count(h => h.X > 0), () => Fit(histories, start));
    }

    public static BgNbdFit Fit(IEnumerable<CustomerHistory> population, BgNbdParameters? start = null)
    {
        var groups = new GroupedHistories(population);
        var customers = groups.Customers;
        if (customers == 0) throw new ArgumentException("BG/NBD cannot be fitted to an empty population.", nameof(population));

        var from = start ?? DefaultStart;
        // Parameters beyond e^±12 mean a degenerate population; walling them off keeps the simplex bounded.
        var objective = ObjectiveFunction.Value(logs => logs.Any(l => Math.Abs(l) > 12) ? double.PositiveInfinity : -groups.LogLikelihood(FromLogs(logs)));
        var initial = Vector<double>.Build.DenseOfArray([Math.Log(from.R), Math.Log(from.Alpha), Math.Log(from.A), Math.Log(from.B)]);
        // From a previous fit the optimum is near: a smaller first simplex gets there in far fewer steps.
        var step = Vector<double>.Build.Dense(4, start is null ? 0.5 : 0.1);
        var result = new NelderMeadSimplex(convergenceTolerance: 1e-10, maximumIterations: 20_000).FindMinimum(objective, initial, step);
        var fitted = FromLogs(result.MinimizingPoint);
        return new BgNbdFit(fitted, -result.FunctionInfoAtMinimum.Value, customers);
    }

    /// <summary>The population's log-likelihood at the given parameters.</summary>
    public static double LogLikelihood(BgNbdParameters parameters, IEnumerable<CustomerHistory> population) =>
        new GroupedHistories(population).LogLikelihood(parameters);

    private static BgNbdParameters FromLogs(Vector<double> logs) =>
        new(Math.Exp(logs[0]), Math.Exp(logs[1]), Math.Exp(logs[2]), Math.Exp(logs[3]));
}
