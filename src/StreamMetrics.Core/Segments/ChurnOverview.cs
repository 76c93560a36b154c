using StreamMetrics.Core.Churn;

namespace StreamMetrics.Core.Segments;

/// <summary>
/// A partition's customers when a period closed: how many stand in each churn state, and the at-risk
/// customers who have been worth the most — those a retention team calls first.
/// </summary>
public sealed record ChurnOverview(DateTimeOffset PeriodStart, IReadOnlyDictionary<ChurnState, long> Customers, IReadOnlyList<AtRiskCustomer> TopAtRisk)
{
    public static readonly ChurnState[] States = [ChurnState.New, ChurnState.Active, ChurnState.AtRisk, ChurnState.Churned];

    /// <summary>Counts every contribution's state and keeps the <paramref name="topCount"/> at-risk customers by lifetime revenue (ties by id).</summary>
    public static ChurnOverview Of(IReadOnlyCollection<SegmentContribution> contributions, DateTimeOffset periodStart, int topCount)
    {
        var customers = States.ToDictionary(state => state, _ => 0L);
        foreach (var c in contributions)
            if (customers.TryGetValue(c.State, out var count)) customers[c.State] = count + 1;
        var top = contributions
            .Where(c => c.State == ChurnState.AtRisk)
            .OrderByDescending(c => c.RevenueTotal).ThenBy(c => c.CustomerId, StringComparer.Ordinal)
            .Take(topCount)
            .Select(c => new AtRiskCustomer(c.CustomerId, c.RevenueTotal, c.PAlive, c.DaysSinceLastOrder, c.RfmSegment))
            .ToList();
        return new ChurnOverview(periodStart, customers, top);
    }
}

/// <summary>An at-risk customer as a retention team sees it: lifetime revenue, probability of being alive, days since the last order, RFM segment.</summary>
public sealed record AtRiskCustomer(string CustomerId, decimal RevenueTotal, double? PAlive, double? DaysSinceLastOrder, string Segment);
