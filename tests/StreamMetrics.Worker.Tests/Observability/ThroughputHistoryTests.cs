using StreamMetrics.Worker.Observability.Live;

namespace StreamMetrics.Worker.Tests.Observability;

public sealed class ThroughputHistoryTests
{
    [Fact]
    public void Rates_are_the_orders_applied_between_samples_over_the_time_between_them_and_the_history_is_bounded()
    {
        var history = new ThroughputHistory();
        var start = DateTimeOffset.Parse("2026-11-29T12:00:00Z");
        history.Sample(start, 0);
        history.Sample(start.AddSeconds(1), 500);
        history.Sample(start.AddSeconds(3), 1_500);

        Assert.Equal([new ThroughputPoint(start.AddSeconds(1), 500), new ThroughputPoint(start.AddSeconds(3), 500)], history.Rates());

        for (var second = 4; second < 1_000; second++) history.Sample(start.AddSeconds(second), 1_500);
        Assert.Equal(300, history.Rates().Count);
    }
}
