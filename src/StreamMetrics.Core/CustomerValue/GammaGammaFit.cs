namespace StreamMetrics.Core.CustomerValue;

/// <summary>The result of fitting Gamma-Gamma to the repeat buyers of a population.</summary>
/// <param name="Customers">The repeat buyers the fit used.</param>
public sealed record GammaGammaFit(GammaGammaParameters Parameters, double LogLikelihood, int Customers)
{
    /// <summary>The customer's expected spend per purchase (see <see cref="GammaGamma.ExpectedSpend"/>).</summary>
    public double ExpectedSpend(SpendHistory spend) => GammaGamma.ExpectedSpend(Parameters, spend);
}
