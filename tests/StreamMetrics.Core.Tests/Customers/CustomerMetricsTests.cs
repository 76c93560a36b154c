using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Customers;
using StreamMetrics.Core.CustomerValue;
using StreamMetrics.Core.Orders;
using StreamMetrics.Core.Tests.CustomerValue;
using StreamMetrics.Core.Time;

namespace StreamMetrics.Core.Tests.Customers;

public sealed class CustomerMetricsTests
{
    private static readonly DateTimeOffset Evaluated = CdnowSummaries.CalibrationEnd;

    /// <summary>The CDNOW calibration's models with Pareto/NBD configured, which auto would not pick there.</summary>
    private static readonly PopulationModel ParetoNbdModel = PopulationModel.From(CdnowSummaries.Calibration, new ChurnThresholds(), ChurnModelChoice.ParetoNbd);

    private static CustomerState Customer(params (int Day, decimal Amount)[] purchases)
    {
        var state = new CustomerState("c1", new PeriodWindows(TimeSpan.FromDays(1)), TimeSpan.FromDays(3650));
        foreach (var (day, amount) in purchases)
            state.Apply(new OrderEvent($"o{day}", "c1", DateTimeOffset.Parse("1997-01-01T00:00:00Z").AddDays(day), OrderKind.Purchase, amount, null, null, null, []));
        return state;
    }

    [Fact]
    public void A_repeat_buyer_is_evaluated_with_the_configured_model_and_valued_by_its_own_spend()
    {
        var state = Customer((0, 30m), (40, 10m), (100, 20m));

        var metrics = CustomerMetrics.Of(state, Evaluated, Evaluated, ParetoNbdModel);

        var history = state.Summarize(Evaluated).History!.Value;
        var (purchases, spend) = (Assert.IsType<ParetoNbdFit>(ParetoNbdModel.PurchaseModel), ParetoNbdModel.Spend!);
        Assert.Equal(ParetoNbd.PAlive(purchases.Parameters, history), metrics.PAlive);
        Assert.Equal(ParetoNbd.ExpectedPurchases(purchases.Parameters, history, 90), metrics.ExpectedOrders90d);
        var pNoOrder = ParetoNbd.PNoPurchase(purchases.Parameters, history, 90);
        Assert.Equal(pNoOrder, metrics.PNoOrder90d);
        Assert.Equal(pNoOrder > 0.8 ? ChurnState.Churned : pNoOrder > 0.5 ? ChurnState.AtRisk : ChurnState.Active, metrics.ChurnState);
        // The first day's 30 is left out: two repeat days of mean 15.
        Assert.Equal(GammaGamma.ExpectedSpend(spend.Parameters, new SpendHistory(2, 15)), metrics.ExpectedSpend);
        Assert.Equal(CustomerLifetimeValue.TwelveMonths(purchases, history, metrics.ExpectedSpend!.Value), metrics.Clv12m);
    }

    [Fact]
    public void A_one_time_buyer_is_valued_at_the_populations_mean_spend()
    {
        var state = Customer((0, 500m));

        var metrics = CustomerMetrics.Of(state, Evaluated, Evaluated, ParetoNbdModel);

        var spend = ParetoNbdModel.Spend!.Parameters;
        Assert.Equal(GammaGamma.PopulationMeanSpend(spend), metrics.ExpectedSpend!.Value, 1e-12);
        Assert.True(metrics.PAlive < 1, "Pareto/NBD lets a one-time buyer drop out");
        Assert.True(metrics.Clv12m > 0);
    }

    [Fact]
    public void Before_any_fit_a_customer_has_no_model_figures()
    {
        var metrics = CustomerMetrics.Of(Customer((0, 30m), (40, 10m)), Evaluated, Evaluated, PopulationModel.Empty(new ChurnThresholds()));

        Assert.Equal((null, null, null, null), (metrics.PAlive, metrics.ExpectedOrders30d, metrics.ExpectedSpend, metrics.Clv12m));
    }
}
