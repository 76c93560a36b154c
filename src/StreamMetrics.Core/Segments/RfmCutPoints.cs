using StreamMetrics.Core.Customers;

namespace StreamMetrics.Core.Segments;

/// <summary>
/// The population's quintile cut points for RFM: q_k = the ⌈k·n/5⌉-th smallest value, k = 1..4, over
/// the customers who have bought.
/// </summary>
public sealed record RfmCutPoints(double[] DaysSinceLastPurchase, long[] Purchases, decimal[] NetRevenue)
{
    public static RfmCutPoints From(IEnumerable<CustomerSummary> population)
    {
        var buyers = population.Where(c => c.DaysSinceLastPurchase is not null).ToList();
        if (buyers.Count == 0) return new RfmCutPoints([], [], []);
        return new RfmCutPoints(
            Quintiles(buyers.Select(c => c.DaysSinceLastPurchase!.Value)),
            Quintiles(buyers.Select(c => c.Purchases)),
            Quintiles(buyers.Select(c => c.NetRevenue)));
    }

    private static T[] Quintiles<T>(IEnumerable<T> values)
    {
        var sorted = values.Order().ToArray();
        return [.. Enumerable.Range(1, 4).Select(k => sorted[(int)Math.Ceiling(k * sorted.Length / 5.0) - 1])];
    }
}
