namespace StreamMetrics.Core.Churn;

/// <summary>The result of fitting Pareto/NBD to a population.</summary>
public sealed record ParetoNbdFit(ParetoNbdParameters Parameters, double LogLikelihood, int Customers);
