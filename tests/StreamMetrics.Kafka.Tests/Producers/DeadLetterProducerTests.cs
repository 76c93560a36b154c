using System.Text;
using Confluent.Kafka;
using StreamMetrics.Kafka.Producers;

namespace StreamMetrics.Kafka.Tests.Producers;

[Collection(nameof(KafkaCollection))]
public sealed class DeadLetterProducerTests(KafkaFixture kafka)
{
    private ConsumeResult<byte[]?, byte[]?> ReadOne(string topic)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = kafka.Cluster.BootstrapServers, GroupId = $"reader-{Guid.NewGuid():N}", AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(topic);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result) return result;
        throw new TimeoutException($"nothing arrived on {topic}");
    }

    private static string Header(Headers headers, string name) => Encoding.UTF8.GetString(headers.GetLastBytes(name));

    [Fact]
    public async Task A_dead_letter_keeps_the_original_bytes_and_carries_the_four_headers()
    {
        using (var records = new RecordCollector(kafka.Clients))
            await new DeadLetterProducer(records, "dlq-bytes").SendAsync(new DeadLetter("orders", 3, 1234, [0xff, 0x00], [0xc3, 0x28], "value is not valid JSON"));

        var letter = ReadOne("dlq-bytes");

        Assert.Equal(new byte[] { 0xff, 0x00 }, letter.Message.Key);
        Assert.Equal(new byte[] { 0xc3, 0x28 }, letter.Message.Value);
        Assert.Equal(("value is not valid JSON", "orders", "3", "1234"),
            (Header(letter.Message.Headers, "error"), Header(letter.Message.Headers, "source-topic"),
             Header(letter.Message.Headers, "source-partition"), Header(letter.Message.Headers, "source-offset")));
    }

    [Fact]
    public async Task A_value_larger_than_the_topic_accepts_is_left_out_and_the_reason_says_so()
    {
        var overrides = new Dictionary<string, string> { ["message.max.bytes"] = "2000" };
        using (var records = new RecordCollector(new KafkaClientSettings(kafka.Cluster.BootstrapServers, producerOverrides: overrides)))
            await new DeadLetterProducer(records, "dlq-large").SendAsync(new DeadLetter("orders", 0, 7, "c1"u8.ToArray(), new byte[5000], "value is 5000 bytes"));

        var letter = ReadOne("dlq-large");

        Assert.Null(letter.Message.Value);
        Assert.Equal("c1", Encoding.UTF8.GetString(letter.Message.Key!));
        Assert.StartsWith("value is 5000 bytes (the original value of 5000 bytes is left out", Header(letter.Message.Headers, "error"));
    }
}
