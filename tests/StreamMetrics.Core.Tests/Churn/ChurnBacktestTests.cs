using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Replay;
using StreamMetrics.Core.Simulation;
using StreamMetrics.Core.Tests.Replay;
using Xunit.Abstractions;

namespace StreamMetrics.Core.Tests.Churn;

public sealed class ChurnBacktestTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset OnlineRetailCut = DateTimeOffset.Parse("2011-09-10T00:00:00Z");

    private static readonly Lazy<IReadOnlyList<Core.Orders.OrderEvent>> OnlineRetail = new(() =>
    {
        using var reader = DataSetFiles.Open("online-retail/online_retail.csv.gz");
        return ReplayReader.Read(ReplayFormat.OnlineRetail, reader).Orders;
    });

    [Theory]
    [InlineData(ChurnModelChoice.Auto)]
    [InlineData(ChurnModelChoice.BgNbd)]
    [InlineData(ChurnModelChoice.ParetoNbd)]
    public void Online_Retail_cut_at_2011_09_10_flags_the_repeat_buyers_who_buy_nothing_in_the_next_90_days(ChurnModelChoice choice)
    {
        var run = ChurnBacktest.Evaluate(OnlineRetail.Value, OnlineRetailCut, new ChurnThresholds(), choice);
        var outcomes = run.Outcomes;
        var (repeat, all) = run.Score();
        output.WriteLine($"repeat buyers: {repeat}, precision {repeat.Precision:F3}, recall {repeat.Recall:F3}, F1 {repeat.F1:F3}");
        output.WriteLine($"all customers: {all}, precision {all.Precision:F3}, recall {all.Recall:F3}, F1 {all.F1:F3}");

        Assert.Equal((3_370, 1_956, 572), (all.Customers, repeat.Customers, repeat.Positives));
        Assert.True(repeat.F1 >= 0.45, $"F1 {repeat.F1:F3} among repeat buyers");
        Assert.True(repeat.AucPNoOrder >= 0.70, $"AUC of P(no order in 90 days) {repeat.AucPNoOrder:F3} among repeat buyers");
        // Why P(alive) cannot rank them: both fits find almost no drop-out here (BG/NBD a → 0, Pareto/NBD β → ∞),
        // so every repeat buyer's P(alive) is within 10⁻⁴ of 1 and its order is set by parameters the data do not pin down.
        Assert.All(outcomes.Where(o => o.RepeatBuyer), o => Assert.True(o.Metrics.PAlive > 0.9999, $"{o.Metrics.CustomerId}: P(alive) {o.Metrics.PAlive}"));
    }

    /// <summary>The population of <c>ChurnDetectionTests</c> (which runs it through Kafka and InfluxDB), and another seed.</summary>
    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    public void Simulated_customers_flagged_at_risk_or_churned_are_the_ones_who_dropped_out(int seed)
    {
        var simulator = new PopulationSimulator(3000, 365, seed, behaviour: new(3, 30, 0.8, 2.4));
        var (orders, truth) = simulator.Simulate();
        var dropped = truth.Where(t => t.DroppedOutAt is not null).Select(t => t.CustomerId).ToHashSet();

        var score = ChurnScore.Of(ChurnBacktest.Evaluate(orders, simulator.End, new ChurnThresholds(), ChurnModelChoice.Auto).Outcomes,
            o => dropped.Contains(o.Metrics.CustomerId));

        output.WriteLine($"{score}, precision {score.Precision:F3}, recall {score.Recall:F3}");
        Assert.True(score.Precision >= 0.9 && score.Recall >= 0.8, $"precision {score.Precision:F3}, recall {score.Recall:F3}");
    }

    [Fact]
    public void The_AUC_counts_ties_as_half_and_is_undefined_without_both_classes()
    {
        Assert.Equal(1, ChurnScore.Auc([(0.9, true), (0.1, false)]));
        Assert.Equal(0.5, ChurnScore.Auc([(0.5, true), (0.5, false)]));
        // Positives 0.8 and 0.4 against negatives 0.4 and 0.1: 1 + 1 + 0.5 + 1 of 4 pairs.
        Assert.Equal(0.875, ChurnScore.Auc([(0.8, true), (0.4, true), (0.4, false), (0.1, false)]));
        Assert.True(double.IsNaN(ChurnScore.Auc([(0.8, true), (null, false)])));
    }
}
