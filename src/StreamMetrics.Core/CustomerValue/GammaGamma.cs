using MathNet.Numerics;

namespace StreamMetrics.Core.CustomerValue;

/// <summary>
/// The Gamma-Gamma model of spend per purchase (Fader, Hardie &amp; Lee 2005, "RFM and CLV: using iso-value curves
/// for customer base analysis", Journal of Marketing Research 42(4), appendix; Fader &amp; Hardie 2013, "The
/// Gamma-Gamma model of monetary value"). It assumes spend independent of the purchase and drop-out processes, so it
/// multiplies with either BG/NBD or Pareto/NBD. Pure functions of the parameters and a customer's (x, m̄ₓ).
/// </summary>
public static class GammaGamma
{
    /// <summary>
    /// The log density of a repeat buyer's mean spend m̄ₓ over x purchases: given ν, m̄ₓ ~ Gamma(px, νx), and
    /// integrating ν out gives Γ(px+q)/(Γ(px)Γ(q)) · γ^q m̄ₓ^(px−1) x^(px) / (γ + m̄ₓx)^(px+q).
    /// </summary>
    public static double LogLikelihood(GammaGammaParameters parameters, SpendHistory spend)
    {
        var (p, q, gamma) = parameters;
        var (x, mean) = (spend.RepeatDays, spend.MeanSpend);
        if (x <= 0 || mean <= 0) throw new ArgumentOutOfRangeException(nameof(spend), spend, "the Gamma-Gamma density needs repeat purchases with a positive mean spend");
        var px = p * x;
        return SpecialFunctions.GammaLn(px + q) - SpecialFunctions.GammaLn(px) - SpecialFunctions.GammaLn(q)
            + q * Math.Log(gamma) + (px - 1) * Math.Log(mean) + px * Math.Log(x) - (px + q) * Math.Log(gamma + mean * x);
    }

    /// <summary>The mean spend per purchase of the population, E[Z] = pγ/(q−1).</summary>
    public static double PopulationMeanSpend(GammaGammaParameters parameters) =>
        parameters.P * parameters.Gamma / (parameters.Q - 1);

    /// <summary>
    /// E[Z | x, m̄ₓ] = p(γ + m̄ₓx)/(px + q − 1): a weighted mean of the population's mean and the customer's own, the
    /// customer's weighing more the more it has bought. The population mean for a customer without repeat purchases.
    /// </summary>
    public static double ExpectedSpend(GammaGammaParameters parameters, SpendHistory spend)
    {
        var (p, q, gamma) = parameters;
        var x = spend.RepeatDays;
        return p * (gamma + spend.MeanSpend * x) / (p * x + q - 1);
    }
}
