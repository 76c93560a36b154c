namespace StreamMetrics.Core.Churn;

/// <summary>
/// The four Pareto/NBD parameters: purchase rates λ ~ Gamma(r, α), drop-out rates μ ~ Gamma(s, β). α and β are
/// in the model's time unit (days here).
/// </summary>
public sealed record ParetoNbdParameters(double R, double Alpha, double S, double Beta);
