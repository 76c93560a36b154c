using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace StreamMetrics.Core.Churn;

/// <summary>
/// Fits Pareto/NBD by maximum likelihood, as <see cref="BgNbdFitter"/> fits BG/NBD: Nelder–Mead on the logarithms
/// of (r, α, s, β) over the population grouped by identical (x, tₓ, T). The groups are summed in a fixed order,
/// so the fit depends on the population and the start only, not on the order of the customers.
/// </summary>
public static class ParetoNbdFitter
{
    /// <summary>A start that suits populations measured in days; a previous fit is a better one.</summary>
    public static readonly ParetoNbdParameters DefaultStart = new(0.5, 10, 0.5, 10);

    /// <summary>Repeat buyers needed before a fit, for the reason <see cref="BgNbdFitter.MinRepeatBuyers"/> gives.</summary>
    public const int MinRepeatBuyers = BgNbdFitter.MinRepeatBuyers;

    /// <summary>Fits the population; null when it cannot be fitted (too few repeat buyers yet, or no convergence), so the caller keeps its last fit.</summary>
    public static ParetoNbdFit? TryFit(IEnumerable<CustomerHistory> population, ParetoNbdParameters? start = null)
    {
        var histories = population as IReadOnlyCollection<CustomerHistory> ?? population.ToList();
        return PopulationFitGuard.TryFit(histories.Count(h => h.X > 0), () => Fit(histories, start));
    }

    public static ParetoNbdFit Fit(IEnumerable<CustomerHistory> population, ParetoNbdParameters? start = null)
    {
        var groups = Group(population);
        var customers = groups.Sum(g => g.Count);
        if (customers == 0) throw new ArgumentException("Pareto/NBD cannot be fitted to an empty population.", nameof(population));

        var from = start ?? DefaultStart;
        // Parameters beyond e^±12 mean a degenerate population (β → ∞: no drop-out seen); the wall keeps the simplex bounded.
        var objective = ObjectiveFunction.Value(logs => logs.Any(l => Math.Abs(l) > 12) ? double.PositiveInfinity : -LogLikelihood(FromLogs(logs), groups));
        var initial = Vector<double>.Build.DenseOfArray([Math.Log(from.R), Math.Log(from.Alpha), Math.Log(from.S), Math.Log(from.Beta)]);
        var step = Vector<double>.Build.Dense(4, start is null ? 0.5 : 0.1);
        var result = new NelderMeadSimplex(convergenceTolerance: 1e-10, maximumIterations: 20_000).FindMinimum(objective, initial, step);
        return new ParetoNbdFit(FromLogs(result.MinimizingPoint), -result.FunctionInfoAtMinimum.Value, customers);
    }

    /// <summary>The population's log-likelihood at the given parameters.</summary>
    public static double LogLikelihood(ParetoNbdParameters parameters, IEnumerable<CustomerHistory> population) =>
        LogLikelihood(parameters, Group(population));

    private static double LogLikelihood(ParetoNbdParameters parameters, (CustomerHistory History, int Count)[] groups)
    {
        var sum = 0.0;
        foreach (var (history, count) in groups) sum += count * ParetoNbd.LogLikelihood(parameters, history);
        // A series out of reach (NaN) or an underflow (−∞) both mean "not here" to the simplex.
        return double.IsFinite(sum) ? sum : double.NegativeInfinity;
    }

    private static (CustomerHistory History, int Count)[] Group(IEnumerable<CustomerHistory> population) =>
        [.. population.GroupBy(h => h).Select(g => (g.Key, g.Count())).OrderBy(g => g.Key.X).ThenBy(g => g.Key.Tx).ThenBy(g => g.Key.T)];

    private static ParetoNbdParameters FromLogs(Vector<double> logs) =>
        new(Math.Exp(logs[0]), Math.Exp(logs[1]), Math.Exp(logs[2]), Math.Exp(logs[3]));
}
