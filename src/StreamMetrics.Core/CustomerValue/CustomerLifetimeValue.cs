using StreamMetrics.Core.Churn;

namespace StreamMetrics.Core.CustomerValue;

/// <summary>
/// A customer's value over the next twelve 30-day months: each month's expected purchases (from the purchase model in
/// use) times the expected spend per purchase (Gamma-Gamma), discounted at 1% a month. This is the discounted sum of
/// Fader, Hardie &amp; Lee (2005) taken month by month, as lifetimes' customer_lifetime_value computes it.
/// </summary>
public static class CustomerLifetimeValue
{
    public const int Months = 12;
    public const double DaysPerMonth = 30;
    public const double MonthlyDiscount = 0.01;

    /// <summary>The end of each month, in days from now: 30, 60, …, 360.</summary>
    public static ReadOnlySpan<double> MonthEnds => [30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 330, 360];

    /// <summary>clv_12m = Σₖ₌₁..₁₂ (E[X(30k)] − E[X(30(k−1))]) · expected spend / 1.01ᵏ, with E[X(0)] = 0.</summary>
    public static double TwelveMonths(IPurchaseModel model, CustomerHistory history, double expectedSpend)
    {
        Span<double> expected = stackalloc double[Months];
        model.ExpectedPurchases(history, MonthEnds, expected);
        return TwelveMonths(expected, expectedSpend);
    }

    /// <summary>clv_12m from the expected purchases by each of <see cref="MonthEnds"/>.</summary>
    public static double TwelveMonths(ReadOnlySpan<double> expectedByMonthEnd, double expectedSpend)
    {
        double value = 0, before = 0;
        for (var month = 1; month <= Months; month++)
        {
            var expected = expectedByMonthEnd[month - 1];
            value += (expected - before) * expectedSpend / Math.Pow(1 + MonthlyDiscount, month);
            before = expected;
        }
        return value;
    }
}
