namespace StreamMetrics.Core.Churn;

/// <summary>The result of fitting BG/NBD to a population.</summary>
public sealed record BgNbdFit(BgNbdParameters Parameters, double LogLikelihood, int Customers) : IPurchaseModel
{
    public string Name => ModelNames.BgNbd;

    public double PAlive(CustomerHistory history) => BgNbd.PAlive(Parameters, history);

    public double PNoPurchase(CustomerHistory history, double t) => BgNbd.PNoPurchase(Parameters, history, t);

    public double ExpectedPurchases(CustomerHistory history, double t) => BgNbd.ExpectedPurchases(Parameters, history, t);

    public void ExpectedPurchases(CustomerHistory history, ReadOnlySpan<double> horizons, Span<double> expected) =>
        BgNbd.ExpectedPurchases(Parameters, history, horizons, expected);
}
