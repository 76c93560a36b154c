using StreamMetrics.Kafka.Logging;

namespace StreamMetrics.Kafka.Tests.Logging;

public sealed class RepeatFilterTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void The_first_message_of_a_kind_passes_and_its_repeats_within_the_window_are_held_back()
    {
        var filter = new RepeatFilter(TimeSpan.FromSeconds(30), _clock);

        var passed = Enumerable.Range(0, 900).Count(i =>
        {
            _clock.Advance(TimeSpan.FromMilliseconds(30)); // librdkafka's pace: 900 failures in 27 s
            return filter.ShouldLog("unreachable", out _);
        });

        Assert.Equal(1, passed);
    }

    [Fact]
    public void After_the_window_the_next_one_passes_and_tells_how_many_were_held_back()
    {
        var filter = new RepeatFilter(TimeSpan.FromSeconds(30), _clock);
        filter.ShouldLog("unreachable", out _);
        for (var i = 0; i < 41; i++) filter.ShouldLog("unreachable", out _);

        _clock.Advance(TimeSpan.FromSeconds(30));

        Assert.True(filter.ShouldLog("unreachable", out var heldBack));
        Assert.Equal(41, heldBack);
        Assert.False(filter.ShouldLog("unreachable", out _));
    }

    [Fact]
    public void Kinds_are_counted_apart()
    {
        var filter = new RepeatFilter(TimeSpan.FromSeconds(30), _clock);

        Assert.True(filter.ShouldLog("unreachable a", out _));
        Assert.True(filter.ShouldLog("unreachable b", out _));
        Assert.False(filter.ShouldLog("unreachable a", out _));
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
