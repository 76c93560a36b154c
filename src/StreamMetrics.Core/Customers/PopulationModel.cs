using StreamMetrics.Core.Churn;
using StreamMetrics.Core.CustomerValue;
using StreamMetrics.Core.Segments;

namespace StreamMetrics.Core.Customers;

/// <summary>
/// What the whole population tells about each customer: the purchase models (BG/NBD and Pareto/NBD, one of them
/// chosen by `Churn:Model`), the Gamma-Gamma spend model, the RFM cut points and the churn rules.
/// </summary>
/// <param name="Purchases">Both purchase models' fits and the one that evaluates customers; both are kept, because each next fit starts from its own previous one.</param>
/// <param name="Spend">The Gamma-Gamma fit on the repeat buyers; null until one could be fitted.</param>
public sealed partial record PopulationModel(ChurnModelSelection Purchases, GammaGammaFit? Spend, RfmCutPoints Cuts, ChurnClassifier Churn)
{
    /// <summary>The model before any population has been seen: no P(alive), no spend, no RFM scores, no one-time buyer judged.</summary>
    public static PopulationModel Empty(ChurnThresholds thresholds) =>
        new(ChurnModelSelection.None, null, RfmCutPoints.From([]), new ChurnClassifier(thresholds, []));

    /// <summary>The purchase model that evaluates customers; null until one could be fitted.</summary>
    public IPurchaseModel? PurchaseModel => Purchases.Chosen;

    /// <summary>
    /// Fits the models on the population; a model that cannot be fitted (too few repeat buyers yet, or no
    /// convergence) keeps its previous fit. Each fit starts from its previous one, so a chain of fits is a function
    /// of the populations it was given, in order.
    /// </summary>
    public static PopulationModel From(IReadOnlyCollection<CustomerSummary> population, ChurnThresholds thresholds, ChurnModelChoice choice, PopulationModel? previous = null)
    {
        var histories = population.Where(c => c.History is not null).Select(c => c.History!.Value).ToList();
        var purchases = ChurnModelSelection.Fit(histories, choice, previous?.Purchases);
        var spend = GammaGammaFitter.TryFit(population.Select(SpendHistory.Of), previous?.Spend?.Parameters) ?? previous?.Spend;
        return new PopulationModel(purchases, spend, RfmCutPoints.From(population), new ChurnClassifier(thresholds, population));
    }
}
