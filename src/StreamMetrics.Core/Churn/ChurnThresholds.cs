namespace StreamMetrics.Core.Churn;

/// <summary>
/// When a customer counts as at risk or churned: the purchase model's P(no purchase in the next
/// <see cref="HorizonDays"/> days) for repeat buyers, percentiles of the population's first-to-second-purchase gap
/// for one-time buyers.
/// </summary>
public sealed record ChurnThresholds
{
    /// <summary>The horizon of the churn question: no purchase in the next this many days (the `p_no_order_90d` field).</summary>
    public const double HorizonDays = 90;

    public double AtRiskPNoOrder { get; init; } = 0.5;

    public double ChurnedPNoOrder { get; init; } = 0.8;

    public double AtRiskGapPercentile { get; init; } = 0.80;

    public double ChurnedGapPercentile { get; init; } = 0.95;
}
