using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Customers;
using StreamMetrics.Core.State;
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
        bytes[0] = 1;
        Assert.Contains("version 1", Assert.Throws<InvalidDataException>(() => PartitionSnapshot.Decode(bytes, NewWatermark(), new ChurnThresholds())).Message);
    }

    [Fact]
    public void A_restored_partition_evaluates_with_the_model_it_had_fitted()
    {
        var population = Enumerable.Range(1, 40).Select(i => new CustomerSummary($"c{i}",
            new CustomerHistory(i % 5, i % 5 * 7.0, 60 + i), i, 1 + i % 5, 10m * i, i % 5 > 0 ? 9 + i % 7 : null)).ToList();
        var thresholds = new ChurnThresholds();
        var fitted = PopulationModel.From(population, thresholds);
        Assert.NotNull(fitted.Fit);

        var (_, _, restored) = PartitionSnapshot.Decode(PartitionSnapshot.Encode(7, NewWatermark(), 3, fitted), NewWatermark(), thresholds);

        Assert.NotNull(restored);
        Assert.Equal(fitted.Fit, restored.Fit);
        Assert.Equal(fitted.Churn.OneTimeBuyerGaps, restored.Churn.OneTimeBuyerGaps);
        Assert.Equal(fitted.Cuts.DaysSinceLastPurchase, restored.Cuts.DaysSinceLastPurchase);
        Assert.Equal(fitted.Cuts.Purchases, restored.Cuts.Purchases);
        Assert.Equal(fitted.Cuts.NetRevenue, restored.Cuts.NetRevenue);
        foreach (var customer in population)
            Assert.Equal(fitted.Churn.Classify(customer, 0.3), restored.Churn.Classify(customer, 0.3));
    }
}
