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
        var (offset, period) = PartitionSnapshot.Decode(PartitionSnapshot.Encode(1234, watermark, 15037), restored);

        Assert.Equal((1234L, 15037L), (offset, period));
        Assert.Equal(watermark.Current, restored.Current);
        restored.Observe(DateTimeOffset.Parse("2011-03-04T10:01:00Z"));
        watermark.Observe(DateTimeOffset.Parse("2011-03-04T10:01:00Z"));
        Assert.Equal(watermark.Current, restored.Current);
    }

    [Fact]
    public void A_partition_that_saw_nothing_restores_with_no_watermark()
    {
        var restored = NewWatermark();
        var (offset, period) = PartitionSnapshot.Decode(PartitionSnapshot.Encode(-1, NewWatermark(), long.MinValue), restored);
        Assert.Equal((-1L, long.MinValue), (offset, period));
        Assert.Null(restored.Current);
    }

    [Fact]
    public void Another_version_is_refused_with_a_reason()
    {
        var bytes = PartitionSnapshot.Encode(1, NewWatermark(), 0);
        bytes[0] = 2;
        Assert.Contains("version 2", Assert.Throws<InvalidDataException>(() => PartitionSnapshot.Decode(bytes, NewWatermark())).Message);
    }
}
