using StreamMetrics.Kafka.Source;

namespace StreamMetrics.Kafka.Tests.Source;

public sealed class KafkaSourceSettingsTests
{
    [Fact]
    public void The_group_consumer_waits_at_most_50_ms_for_a_fetch_the_broker_holds_unless_the_consumer_section_says_otherwise()
    {
        // A partition resumed while the broker held a fetch of another, read to its end, waited behind it for librdkafka's
        // default of 500 ms: the worker sat idle most of that time (BENCHMARKS.md, "A fetch held by the broker").
        Assert.Equal(50, new KafkaSourceSettings(new KafkaClientSettings("broker:9092"), "orders", "g").GroupConsumer().FetchWaitMaxMs);
        var overridden = new KafkaClientSettings("broker:9092", new Dictionary<string, string> { ["fetch.wait.max.ms"] = "500" });
        Assert.Equal(500, new KafkaSourceSettings(overridden, "orders", "g").GroupConsumer().FetchWaitMaxMs);
    }
}
