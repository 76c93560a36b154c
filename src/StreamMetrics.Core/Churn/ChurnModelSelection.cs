namespace StreamMetrics.Core.Churn;

/// <summary>
/// BG/NBD and Pareto/NBD fitted on one population, and the model that `Churn:Model` picks of the two, which
/// callers use through <see cref="IPurchaseModel"/>. Both are always fitted, so that both can be reported.
/// </summary>
/// <param name="Chosen">The model that evaluates customers; null until one could be fitted.</param>
public sealed record ChurnModelSelection(BgNbdFit? BgNbd, ParetoNbdFit? ParetoNbd, IPurchaseModel? Chosen)
{
    public static readonly ChurnModelSelection None = new(null, null, null);

    /// <summary>
    /// Fits both models, each from its previous fit when there is one (so a chain of selections is a function of
    /// the populations it was given, in order). A model that cannot be fitted keeps its previous fit.
    /// </summary>
    /// <remarks>
    /// <c>auto</c> compares log-likelihoods only between fits of this population: a previous fit's was measured on
    /// another one. Both likelihoods are densities of the same purchase times with four parameters each, so the
    /// higher one is the better fit outright; a tie goes to BG/NBD, so that the choice never depends on order.
    /// </remarks>
    public static ChurnModelSelection Fit(IReadOnlyCollection<CustomerHistory> population, ChurnModelChoice choice, ChurnModelSelection? previous = null)
    {
        previous ??= None;
        var bgNbd = BgNbdFitter.TryFit(population, previous.BgNbd?.Parameters);
        var paretoNbd = ParetoNbdFitter.TryFit(population, previous.ParetoNbd?.Parameters);
        var (keptBgNbd, keptParetoNbd) = (bgNbd ?? previous.BgNbd, paretoNbd ?? previous.ParetoNbd);
        IPurchaseModel? chosen = choice switch
        {
            ChurnModelChoice.BgNbd => keptBgNbd,
            ChurnModelChoice.ParetoNbd => keptParetoNbd,
            _ when bgNbd is not null && paretoNbd is not null => paretoNbd.LogLikelihood > bgNbd.LogLikelihood ? paretoNbd : bgNbd,
            _ => (IPurchaseModel?)bgNbd ?? paretoNbd ?? previous.Chosen,
        };
        return new ChurnModelSelection(keptBgNbd, keptParetoNbd, chosen);
    }
}
