using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Segments;

namespace StreamMetrics.Core.Customers;

/// <summary>What the whole population tells about each customer: the BG/NBD fit, the RFM cut points and the churn rules.</summary>
public sealed record PopulationModel(BgNbdFit? Fit, RfmCutPoints Cuts, ChurnClassifier Churn)
{
    /// <summary>Fits the models on the population; without a BG/NBD fit (no repeat buyer yet) P(alive) stays unknown.</summary>
    public static PopulationModel From(IReadOnlyCollection<CustomerSummary> population, ChurnThresholds thresholds, BgNbdParameters? warmStart = null)
    {
        var histories = population.Where(c => c.History is not null).Select(c => c.History!.Value).ToList();
        var fit = BgNbdFitter.TryFit(histories, warmStart);
        return new PopulationModel(fit, RfmCutPoints.From(population), new ChurnClassifier(thresholds, population));
    }
}
