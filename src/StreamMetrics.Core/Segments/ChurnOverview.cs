using StreamMetrics.Core.Churn;

namespace StreamMetrics.Core.Segments;

/// <summary>
/// A partition's customers when a period closed: how many stand in each churn state, and the at-risk
/// customers who have been worth the most — those a retention team calls first.
/// </summary>
public sealed record ChurnOverview(DateTimeOffset PeriodStart, IReadOnlyDictionary<ChurnState, long> CustomersByState, IReadOnlyList<AtRiskCustomer> TopAtRisk)
{
    /// <summary>How many at-risk customers are ranked: each partition's top ones make the exact top ones over any set of partitions.</summary>
    public const int TopAtRiskCount = 10;

    public static IReadOnlyList<ChurnState> States { get; } = [ChurnState.New, ChurnState.Active, ChurnState.AtRisk, ChurnState.Churned];

    /// <summary>Counts every contribution's state and ranks the at-risk customers (<see cref="AtRiskCustomer.MostValuable"/>).</summary>
    public static ChurnOverview Of(IReadOnlyCollection<SegmentContribution> contributions, DateTimeOffset periodStart)
    {
        var customers = States.ToDictionary(state => state, _ => 0L);
        foreach (var c in contributions)
            if (customers.TryGetValue(c.State, out var count)) customers[c.State] = count + 1;
        var atRisk = contributions
            .Where(c => c.State == ChurnState.AtRisk)
            .Select(c => new AtRiskCustomer(c.CustomerId, c.RevenueTotal, c.PAlive, c.DaysSinceLastOrder, c.RfmSegment));
        return new ChurnOverview(periodStart, customers, AtRiskCustomer.MostValuable(atRisk));
    }
}

/// <summary>An at-risk customer as a retention team sees it: lifetime revenue, probability of being alive, days since the last order, RFM segment.</summary>
public sealed record AtRiskCustomer(string CustomerId, decimal RevenueTotal, double? PAlive, double? DaysSinceLastOrder, string Segment)
{
    /// <summary>The <see cref="ChurnOverview.TopAtRiskCount"/> with the highest lifetime revenue, ties by id so that the answer is always the same.</summary>
    public static IReadOnlyList<AtRiskCustomer> MostValuable(IEnumerable<AtRiskCustomer> customers) =>
        customers.OrderByDescending(c => c.RevenueTotal).ThenBy(c => c.CustomerId, StringComparer.Ordinal).Take(ChurnOverview.TopAtRiskCount).ToList();
}
