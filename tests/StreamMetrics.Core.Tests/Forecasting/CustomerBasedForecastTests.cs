using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Customers;
using StreamMetrics.Core.Forecasting;

namespace StreamMetrics.Core.Tests.Forecasting;

public sealed class CustomerBasedForecastTests
{
    /// <summary>The CDNOW fits in days: BG/NBD (Fader, Hardie and Lee 2005) and Pareto/NBD (issue 16).</summary>
    private static IPurchaseModel Cdnow(string model) => model == ModelNames.BgNbd
        ? new BgNbdFit(new BgNbdParameters(0.2426, 30.8952, 0.7929, 2.4259), -9582.4, 2357)
        : new ParetoNbdFit(new ParetoNbdParameters(0.5533, 74.046, 0.6062, 81.683), -9595.0, 2357);

    [Theory]
    [InlineData(ModelNames.BgNbd)]
    [InlineData(ModelNames.ParetoNbd)]
    public void The_days_add_up_to_each_customers_expected_purchases_over_the_horizon_times_their_order_value(string modelName)
    {
        var model = Cdnow(modelName);
        CustomerSummary[] customers =
        [
            new("a", new CustomerHistory(2, 30, 90), 10, 3, 60m, 20),
            new("b", new CustomerHistory(2, 30, 90), 20, 3, 300m, 20),
            new("c", new CustomerHistory(0, 0, 40), 40, 1, 25m),
            new("never", null, null, 0, 0m),
        ];

        var days = CustomerBasedForecast.Daily(model, customers, 14);

        Assert.Equal(Enumerable.Range(1, 14), days.Select(d => d.Horizon));
        Assert.All(days, d => Assert.True(d.Orders > 0 && d.Revenue > 0));
        var expectedAB = model.ExpectedPurchases(new CustomerHistory(2, 30, 90), 14);
        var expectedC = model.ExpectedPurchases(new CustomerHistory(0, 0, 40), 14);
        Assert.Equal(2 * expectedAB + expectedC, days.Sum(d => d.Orders), 10);
        Assert.Equal(20 * expectedAB + 100 * expectedAB + 25 * expectedC, days.Sum(d => d.Revenue), 8);
    }
}
