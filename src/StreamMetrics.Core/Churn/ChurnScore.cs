namespace StreamMetrics.Core.Churn;

/// <summary>
/// How well the churn states and scores match an outcome ("no purchase in the next 90 days", or a simulated
/// drop-out): precision, recall and F1 of the customers flagged at risk or churned, and the AUC of the scores.
/// </summary>
/// <param name="AucPAlive">AUC of 1 − P(alive); NaN when either class is empty or no P(alive) is known.</param>
/// <param name="AucPNoOrder">AUC of P(no order in the next 90 days), the score the churn rule uses.</param>
public sealed record ChurnScore(int Customers, int Positives, int Flagged, int TruePositives, double AucPAlive, double AucPNoOrder)
{
    public double Precision => Flagged == 0 ? 0 : (double)TruePositives / Flagged;

    public double Recall => Positives == 0 ? 0 : (double)TruePositives / Positives;

    public double F1 => TruePositives == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    /// <summary>Scores the customers against <paramref name="positive"/> (by default, no order in the horizon after the cut).</summary>
    public static ChurnScore Of(IReadOnlyCollection<ChurnOutcome> outcomes, Func<ChurnOutcome, bool>? positive = null)
    {
        positive ??= o => o.NoOrderInHorizon;
        var labelled = outcomes.Select(o => (Outcome: o, Positive: positive(o))).ToList();
        return new ChurnScore(
            labelled.Count,
            labelled.Count(l => l.Positive),
            labelled.Count(l => l.Outcome.Flagged),
            labelled.Count(l => l.Positive && l.Outcome.Flagged),
            Auc(labelled.Select(l => (1 - l.Outcome.Metrics.PAlive, l.Positive))),
            Auc(labelled.Select(l => (l.Outcome.Metrics.PNoOrder90d, l.Positive))));
    }

    /// <summary>
    /// The area under the ROC curve by the Mann–Whitney U statistic: the chance that a random positive scores above a
    /// random negative, ties counting half (so a score that is the same for everyone gives 0.5).
    /// </summary>
    public static double Auc(IEnumerable<(double? Score, bool Positive)> scored)
    {
        var known = scored.Where(s => s.Score is not null).Select(s => (Score: s.Score!.Value, s.Positive)).OrderBy(s => s.Score).ToList();
        long positives = known.Count(s => s.Positive), negatives = known.Count - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        // Sum of the positives' mid-ranks, over runs of tied scores.
        double rankSum = 0;
        for (var start = 0; start < known.Count;)
        {
            var (end, tiedPositives) = (start, 0);
            for (; end < known.Count && known[end].Score == known[start].Score; end++)
                if (known[end].Positive) tiedPositives++;
            rankSum += (start + 1 + end) / 2.0 * tiedPositives;
            start = end;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / (positives * (double)negatives);
    }
}
