namespace StreamMetrics.Core.Churn;

/// <summary>
/// Whether a customer's last 30 days are improbably quiet for its own history: with ≥ 3 purchases, and
/// orders in 30 days Poisson-distributed at the customer's long-run rate, P(N ≤ n) &lt; 0.05.
/// </summary>
public static class EngagementDrop
{
    public const int MinimumPurchases = 3;
    public const double TailProbability = 0.05;

    /// <param name="purchases">Lifetime purchases.</param>
    /// <param name="daysAsCustomer">Days from the first purchase to the watermark.</param>
    /// <param name="orders30d">Purchases in the last 30 days.</param>
    public static bool IsDropped(long purchases, double daysAsCustomer, long orders30d)
    {
        if (purchases < MinimumPurchases || daysAsCustomer <= 30) return false;
        var expected = purchases / daysAsCustomer * 30;
        return PoissonCdf(orders30d, expected) < TailProbability;
    }

    /// <summary>P(N ≤ n) for N ~ Poisson(μ), summed term by term.</summary>
    public static double PoissonCdf(long n, double mean)
    {
        double term = Math.Exp(-mean), sum = term;
        for (var k = 1; k <= n; k++)
        {
            term *= mean / k;
            sum += term;
        }
        return Math.Min(1, sum);
    }
}
