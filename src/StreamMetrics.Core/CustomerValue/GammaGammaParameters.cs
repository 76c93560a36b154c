namespace StreamMetrics.Core.CustomerValue;

/// <summary>
/// The Gamma-Gamma parameters: each purchase's spend is Gamma(p, ν) around a customer's own scale ν, and ν ~ Gamma(q, γ)
/// across customers. γ is in the deployment's currency; q &gt; 1, so that the mean spend exists.
/// </summary>
public sealed record GammaGammaParameters(double P, double Q, double Gamma);
