namespace StreamMetrics.Core.Churn;

/// <summary>When a customer counts as at risk or churned: P(alive) for repeat buyers, percentiles of the population's first-to-second-purchase gap for one-time buyers.</summary>
public sealed record ChurnThresholds
{
    public double AtRiskPAlive { get; init; } = 0.5;

    public double ChurnedPAlive { get; init; } = 0.2;

    public double AtRiskGapPercentile { get; init; } = 0.80;

    public double ChurnedGapPercentile { get; init; } = 0.95;
}
