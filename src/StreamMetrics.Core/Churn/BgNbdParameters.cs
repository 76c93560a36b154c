namespace StreamMetrics.Core.Churn;

/// <summary>The four BG/NBD parameters: purchase rates λ ~ Gamma(r, α), drop-out p ~ Beta(a, b). α is in the model's time unit (days here).</summary>
public sealed record BgNbdParameters(double R, double Alpha, double A, double B);
