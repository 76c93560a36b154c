using StreamMetrics.Core.Customers;

namespace StreamMetrics.Core.Churn;

/// <summary>
/// Classifies customers. BG/NBD gives every one-time buyer P(alive) = 1, so a customer who bought on a
/// single day is judged by how long it has waited against the population's gap between first and
/// second purchase instead.
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

    public ChurnState Classify(CustomerSummary customer, double pAlive)
    {
        if (customer.History is not { } history) return ChurnState.None;
        if (history.X == 0)
        {
            if (history.T > _churnedGap) return ChurnState.Churned;
            return history.T > _atRiskGap ? ChurnState.AtRisk : ChurnState.New;
        }
        if (pAlive < _thresholds.ChurnedPAlive) return ChurnState.Churned;
        return pAlive < _thresholds.AtRiskPAlive ? ChurnState.AtRisk : ChurnState.Active;
    }

    /// <summary>The nearest-rank percentile; +∞ for an empty population, so that no one-time buyer is judged on nothing.</summary>
    private static double Percentile(double[] sorted, double share) =>
        sorted.Length == 0 ? double.PositiveInfinity : sorted[Math.Clamp((int)Math.Ceiling(share * sorted.Length) - 1, 0, sorted.Length - 1)];
}
