namespace StreamMetrics.Core.Churn;

/// <summary>Which buy-till-you-die model evaluates customers (`Churn:Model`).</summary>
public enum ChurnModelChoice
{
    /// <summary>Whichever fits the population better: the higher log-likelihood, per fit.</summary>
    Auto,
    BgNbd,
    ParetoNbd,
}
