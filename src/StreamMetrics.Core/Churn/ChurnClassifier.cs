using StreamMetrics.Core.Customers;

namespace StreamMetrics.Core.Churn;

/// <summary>
/// Classifies customers. A repeat buyer is judged by the purchase model's P(no purchase in the next 90 days | history),
/// not by P(alive): where a fit finds almost no drop-out (BG/NBD's a → 0 on Online Retail), P(alive) is within
/// rounding of 1 for everyone, while the chance of buying nothing soon still tells customers apart by how often they
/// bought for how long they have been customers; where drop-out is real, that chance is at least 1 − P(alive). A customer who
/// bought on a single day is judged by how long it has waited against the population's gap between first and
/// second purchase: a model's P(no purchase) for it mostly restates the population's low rate (CDNOW's r ≈ 0.24
/// gives a brand-new customer 0.7), which would call every new customer at risk on its first day.
/// </summary>
public sealed class ChurnClassifier
{
    private readonly ChurnThresholds _thresholds;
    private readonly double _atRiskGap;
    private readonly double _churnedGap;

    public ChurnClassifier(ChurnThresholds thresholds, IEnumerable<CustomerSummary> population)
    {
        _thresholds = thresholds;
        var gaps = population.Where(c => c.FirstRepeatGap is not null).Select(c => c.FirstRepeatGap!.Value).Order().ToArray();
        _atRiskGap = Percentile(gaps, thresholds.AtRiskGapPercentile);
        _churnedGap = Percentile(gaps, thresholds.ChurnedGapPercentile);
    }

    /// <summary>A classifier with the one-time buyer gaps already known (a restored model).</summary>
    public ChurnClassifier(ChurnThresholds thresholds, double atRiskGap, double churnedGap) =>
        (_thresholds, _atRiskGap, _churnedGap) = (thresholds, atRiskGap, churnedGap);

    /// <summary>The waits, in days, past which a one-time buyer is at risk and churned.</summary>
    public (double AtRisk, double Churned) OneTimeBuyerGaps => (_atRiskGap, _churnedGap);

    /// <summary>The state of a customer, given the purchase model's P(no purchase in the next 90 days); null before any fit.</summary>
    public ChurnState Classify(CustomerSummary customer, double? pNoOrder)
    {
        if (customer.History is not { } history) return ChurnState.None;
        if (history.X == 0)
        {
            if (history.T > _churnedGap) return ChurnState.Churned;
            return history.T > _atRiskGap ? ChurnState.AtRisk : ChurnState.New;
        }
        if (pNoOrder is not { } p) return ChurnState.Active;
        if (p > _thresholds.ChurnedPNoOrder) return ChurnState.Churned;
        return p > _thresholds.AtRiskPNoOrder ? ChurnState.AtRisk : ChurnState.Active;
    }

    /// <summary>The nearest-rank percentile; +∞ for an empty population, so that no one-time buyer is judged on nothing.</summary>
    private static double Percentile(double[] sorted, double share) =>
        sorted.Length == 0 ? double.PositiveInfinity : sorted[Math.Clamp((int)Math.Ceiling(share * sorted.Length) - 1, 0, sorted.Length - 1)];
}
