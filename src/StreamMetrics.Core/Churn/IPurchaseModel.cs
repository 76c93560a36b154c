namespace StreamMetrics.Core.Churn;

/// <summary>
/// A fitted buy-till-you-die model (BG/NBD or Pareto/NBD) as its callers see it: they ask for P(alive) and
/// expected purchases and need not know which model won the fit.
/// </summary>
public interface IPurchaseModel
{
    /// <summary>The model's name, as in configuration and in the `model` tag: <see cref="ModelNames.BgNbd"/> or <see cref="ModelNames.ParetoNbd"/>.</summary>
    string Name { get; }

    /// <summary>The population's log-likelihood at the fitted parameters.</summary>
    double LogLikelihood { get; }

    /// <summary>The customers the model was fitted on.</summary>
    int Customers { get; }

    /// <summary>P(alive | x, tₓ, T).</summary>
    double PAlive(CustomerHistory history);

    /// <summary>P(X(T, T+t) = 0 | x, tₓ, T): the customer buys nothing in the next <paramref name="t"/> days.</summary>
    double PNoPurchase(CustomerHistory history, double t);

    /// <summary>E[X(t) | x, tₓ, T]: expected purchases in the next <paramref name="t"/> days.</summary>
    double ExpectedPurchases(CustomerHistory history, double t);

    /// <summary>E[X(t) | x, tₓ, T] for each of <paramref name="horizons"/> into <paramref name="expected"/>: cheaper than one call each.</summary>
    void ExpectedPurchases(CustomerHistory history, ReadOnlySpan<double> horizons, Span<double> expected);
}
