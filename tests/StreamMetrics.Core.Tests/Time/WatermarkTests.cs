using StreamMetrics.Core.Time;

namespace StreamMetrics.Core.Tests.Time;

public sealed class WatermarkTests
{
    private static readonly DateTimeOffset Noon = DateTimeOffset.Parse("2011-01-10T12:00:00Z");

    private static Watermark Create() => new(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30));

    [Fact]
    public void There_is_no_watermark_before_the_first_event()
    {
        var watermark = Create();

        watermark.AdvanceIdle(TimeSpan.FromHours(1));

        Assert.Null(watermark.Current);
    }

    [Fact]
    public void The_watermark_trails_the_largest_event_time_by_the_allowed_lateness()
    {
        var watermark = Create();

        watermark.Observe(Noon);
        watermark.Observe(Noon.AddMinutes(-30));

        Assert.Equal(Noon.AddMinutes(-10), watermark.Current);
    }

    [Fact]
    public void An_idle_partition_advances_by_the_wall_clock_time_since_its_last_record_once_idle_long_enough()
    {
        var watermark = Create();
        watermark.Observe(Noon);

        watermark.AdvanceIdle(TimeSpan.FromSeconds(29));
        Assert.Equal(Noon.AddMinutes(-10), watermark.Current);

        watermark.AdvanceIdle(TimeSpan.FromSeconds(45));
        Assert.Equal(Noon.AddMinutes(-10).AddSeconds(45), watermark.Current);
    }

    [Fact]
    public void A_record_after_an_idle_spell_keeps_the_advance_and_restarts_idle_time()
    {
        var watermark = Create();
        watermark.Observe(Noon);
        watermark.AdvanceIdle(TimeSpan.FromMinutes(5));

        watermark.Observe(Noon.AddMinutes(1));
        Assert.Equal(Noon.AddMinutes(-5), watermark.Current);

        watermark.AdvanceIdle(TimeSpan.FromMinutes(1));
        Assert.Equal(Noon.AddMinutes(-4), watermark.Current);
    }

    [Fact]
    public void Advancing_to_an_end_time_never_moves_the_watermark_back()
    {
        var watermark = Create();
        watermark.Observe(Noon);

        watermark.AdvanceTo(Noon.AddDays(3));
        Assert.Equal(Noon.AddDays(3), watermark.Current);

        watermark.AdvanceTo(Noon);
        Assert.Equal(Noon.AddDays(3), watermark.Current);
    }

    [Fact]
    public void Extreme_event_times_saturate_instead_of_overflowing()
    {
        var watermark = Create();

        watermark.Observe(DateTimeOffset.MaxValue);
        watermark.AdvanceIdle(TimeSpan.FromDays(1));

        Assert.Equal(DateTimeOffset.MaxValue, watermark.MaxEventTime);
    }
}
