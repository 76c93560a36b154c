using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Segments;

namespace StreamMetrics.Core.Customers;

/// <summary>What the whole population tells about each customer: the BG/NBD fit, the RFM cut points and the churn rules.</summary>
public sealed partial record PopulationModel(BgNbdFit? Fit, RfmCutPoints Cuts, ChurnClassifier Churn)
{
    /// <summary>The model before any population has been seen: no P(alive), no RFM scores, no one-time buyer judged.</summary>
    public static PopulationModel Empty(ChurnThresholds thresholds) => new(null, RfmCutPoints.From([]), new ChurnClassifier(thresholds, []));

    /// <summary>
    /// Fits the models on the population; without a BG/NBD fit (no repeat buyer yet, or no convergence) the
    /// previous fit stays. The fit starts from the previous one, so a chain of fits is a function of the
    /// populations it was given, in order.
    /// </summary>
    public static PopulationModel From(IReadOnlyCollection<CustomerSummary> population, ChurnThresholds thresholds, BgNbdFit? previous = null)
    {
        var histories = population.Where(c => c.History is not null).Select(c => c.History!.Value).ToList();
        var fit = BgNbdFitter.TryFit(histories, previous?.Parameters) ?? previous;
        return new PopulationModel(fit, RfmCutPoints.From(population), new ChurnClassifier(thresholds, population));
    }
}
