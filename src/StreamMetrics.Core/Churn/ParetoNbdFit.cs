namespace StreamMetrics.Core.Churn;

/// <summary>The result of fitting Pareto/NBD to a population.</summary>
public sealed record ParetoNbdFit(ParetoNbdParameters Parameters, double LogLikelihood, int Customers) : IPurchaseModel
{
    public string Name => ModelNames.ParetoNbd;

    public double PAlive(CustomerHistory history) => ParetoNbd.PAlive(Parameters, history);

    public double PNoPurchase(CustomerHistory history, double t) => ParetoNbd.PNoPurchase(Parameters, history, t);

    public double ExpectedPurchases(CustomerHistory history, double t) => ParetoNbd.ExpectedPurchases(Parameters, history, t);

    public void ExpectedPurchases(CustomerHistory history, ReadOnlySpan<double> horizons, Span<double> expected) =>
        ParetoNbd.ExpectedPurchases(Parameters, history, horizons, expected);
}
