using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Customers;
using StreamMetrics.Core.State;
using StreamMetrics.Core.Tests.CustomerValue;
using StreamMetrics.Core.Time;

namespace StreamMetrics.Core.Tests.State;

public sealed class PartitionSnapshotTests
{
    private static Watermark NewWatermark() => new(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30));

    [Fact]
    public void A_restored_partition_has_the_same_watermark_idle_advance_offset_and_period()
    {
        var watermark = NewWatermark();
        watermark.Observe(DateTimeOffset.Parse("2011-03-04T10:00:00Z"));
        watermark.AdvanceIdle(TimeSpan.FromMinutes(2));

        var restored = NewWatermark();
        var (offset, period, model) = PartitionSnapshot.Decode(PartitionSnapshot.Encode(1234, watermark, 15037, null), restored, new ChurnThresholds());

        Assert.Equal((1234L, 15037L), (offset, period));
        Assert.Null(model);
        Assert.Equal(watermark.Current, restored.Current);
        restored.Observe(DateTimeOffset.Parse("2011-03-04T10:01:00Z"));
        watermark.Observe(DateTimeOffset.Parse("2011-03-04T10:01:00Z"));
        Assert.Equal(watermark.Current, restored.Current);
    }

    [Fact]
    public void A_partition_that_saw_nothing_restores_with_no_watermark()
    {
        var restored = NewWatermark();
        var (offset, period, _) = PartitionSnapshot.Decode(PartitionSnapshot.Encode(-1, NewWatermark(), long.MinValue, null), restored, new ChurnThresholds());
        Assert.Equal((-1L, long.MinValue), (offset, period));
        Assert.Null(restored.Current);
    }

    [Fact]
    public void Another_version_is_refused_with_a_reason()
    {
        var bytes = PartitionSnapshot.Encode(1, NewWatermark(), 0, null);
        bytes[0] = 2;
        Assert.Contains("version 2", Assert.Throws<InvalidDataException>(() => PartitionSnapshot.Decode(bytes, NewWatermark(), new ChurnThresholds())).Message);
    }

    [Theory]
    [InlineData(ChurnModelChoice.Auto, ModelNames.BgNbd)]
    [InlineData(ChurnModelChoice.ParetoNbd, ModelNames.ParetoNbd)]
    public void A_restored_partition_evaluates_with_the_models_it_had_fitted_and_fits_the_next_ones_alike(ChurnModelChoice choice, string chosen)
    {
        var population = CdnowSummaries.Calibration;
        var thresholds = new ChurnThresholds();
        var fitted = PopulationModel.From(population, thresholds, choice);
        Assert.NotNull(fitted.Purchases.BgNbd);
        Assert.NotNull(fitted.Purchases.ParetoNbd);
        Assert.Equal(chosen, fitted.PurchaseModel?.Name);
        Assert.Equal(946, fitted.Spend?.Customers);

        var (_, _, restored) = PartitionSnapshot.Decode(PartitionSnapshot.Encode(7, NewWatermark(), 3, fitted), NewWatermark(), thresholds);

        Assert.NotNull(restored);
        Assert.Equal(fitted.Purchases, restored.Purchases);
        Assert.Equal(chosen, restored.PurchaseModel?.Name);
        Assert.Equal(fitted.Spend, restored.Spend);
        Assert.Equal(fitted.Churn.OneTimeBuyerGaps, restored.Churn.OneTimeBuyerGaps);
        Assert.Equal(fitted.Cuts.DaysSinceLastPurchase, restored.Cuts.DaysSinceLastPurchase);
        Assert.Equal(fitted.Cuts.Purchases, restored.Cuts.Purchases);
        Assert.Equal(fitted.Cuts.NetRevenue, restored.Cuts.NetRevenue);
        foreach (var customer in population.Take(200))
            Assert.Equal(fitted.Churn.Classify(customer, 0.3), restored.Churn.Classify(customer, 0.3));
        // The next fits start from the restored ones, so the chain goes on as if the partition had never moved.
        var later = population.Select(c => c with { History = c.History!.Value with { T = c.History.Value.T + 7 } }).ToList();
        var (next, nextAfterRestore) = (PopulationModel.From(later, thresholds, choice, fitted), PopulationModel.From(later, thresholds, choice, restored));
        Assert.Equal(next.Purchases, nextAfterRestore.Purchases);
        Assert.Equal(next.Spend, nextAfterRestore.Spend);
    }

    [Fact]
    public void A_model_that_names_a_chosen_fit_it_does_not_hold_is_refused()
    {
        var orphan = new BgNbdFit(new BgNbdParameters(0.2426, 30.8952, 0.7929, 2.4259), -9582.4, 2357);
        var model = PopulationModel.Empty(new ChurnThresholds()) with { Purchases = new ChurnModelSelection(null, null, orphan) };

        var bytes = PartitionSnapshot.Encode(1, NewWatermark(), 0, model);

        Assert.Contains("bgnbd", Assert.Throws<InvalidDataException>(() => PartitionSnapshot.Decode(bytes, NewWatermark(), new ChurnThresholds())).Message);
    }
}
