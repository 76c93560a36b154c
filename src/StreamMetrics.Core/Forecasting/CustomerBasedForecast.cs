using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Customers;

namespace StreamMetrics.Core.Forecasting;

/// <summary>
/// Total orders and revenue forecast from the customers rather than from the series: per day ahead,
/// the sum over customers of their expected purchases under the purchase model in use (BG/NBD or
/// Pareto/NBD, conditional on each customer's history) times their average order value.
/// </summary>
public static class CustomerBasedForecast
{
    /// <summary>Expected orders and revenue on each of the <paramref name="horizons"/> days from the summaries' watermark.</summary>
    public static IReadOnlyList<(int Horizon, double Orders, double Revenue)> Daily(IPurchaseModel model, IEnumerable<CustomerSummary> customers, int horizons)
    {
        var orders = new double[horizons + 1];
        var revenue = new double[horizons + 1];
        // Customers with the same history expect the same: each distinct history is computed once.
        foreach (var group in customers.Where(c => c.History is not null && c.Purchases > 0).GroupBy(c => c.History!.Value))
        {
            var value = group.Sum(c => Math.Max(0, (double)c.NetRevenue / c.Purchases));
            var count = group.Count();
            for (var h = 1; h <= horizons; h++)
            {
                var expected = model.ExpectedPurchases(group.Key, h);
                if (!double.IsFinite(expected)) continue; // a degenerate fit's closed form, out of reach: left out rather than poisoning the sum
                orders[h] += count * expected;
                revenue[h] += value * expected;
            }
        }
        return [.. Enumerable.Range(1, horizons).Select(h => (h, orders[h] - orders[h - 1], revenue[h] - revenue[h - 1]))];
    }
}
