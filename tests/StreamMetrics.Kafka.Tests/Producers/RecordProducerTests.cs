using System.Text;
using StreamMetrics.Kafka.Producers;

namespace StreamMetrics.Kafka.Tests.Producers;

[Collection(nameof(KafkaCollection))]
public sealed class RecordProducerTests(KafkaFixture kafka)
{
    [Fact]
    public void Records_a_cluster_took_count_as_delivered()
    {
        using var producer = new RecordProducer(kafka.Clients);
        for (var i = 0; i < 50; i++) producer.Produce("record-producer-delivered", Encoding.UTF8.GetBytes($"k{i}"), "{}"u8.ToArray());

        producer.Finish(TimeSpan.FromSeconds(30));

        Assert.Equal((50, 0), (producer.Delivered, producer.Failed));
    }

    [Fact]
    public void Records_still_queued_when_the_wait_ends_count_as_failed()
    {
        using var producer = new RecordProducer(new KafkaClientSettings("127.0.0.1:1" /* nothing listens on port 1 */));
        for (var i = 0; i < 50; i++) producer.Produce("record-producer-nowhere", Encoding.UTF8.GetBytes($"k{i}"), "{}"u8.ToArray());

        producer.Finish(TimeSpan.FromSeconds(1));

        Assert.Equal((0, 50), (producer.Delivered, producer.Failed));
        Assert.Equal("50 records still queued after 1 s", producer.FirstError);
    }
}
