namespace StreamMetrics.Core.Churn;

/// <summary>The result of fitting BG/NBD to a population.</summary>
public sealed record BgNbdFit(BgNbdParameters Parameters, double LogLikelihood, int Customers);
