using Confluent.Kafka;

namespace StreamMetrics.Kafka.Tests;

public sealed class KafkaClientSettingsTests
{
    private static readonly Dictionary<string, string> Security = new()
    {
        ["security.protocol"] = "SASL_SSL",
        ["sasl.mechanisms"] = "PLAIN",
        ["sasl.username"] = "worker",
        ["sasl.password"] = "pw-secret",
        ["ssl.endpoint.identification.algorithm"] = "https",
    };

    private static Dictionary<string, string> ConsumerSection(Dictionary<string, string> security) =>
        new(security) { ["session.timeout.ms"] = "6000", ["group.id"] = "not-ours" };

    [Fact]
    public void Security_properties_of_the_consumer_section_reach_every_client_configuration()
    {
        var kafka = new KafkaClientSettings("broker:9093", ConsumerSection(Security), new Dictionary<string, string> { ["linger.ms"] = "50" });

        foreach (var config in new ClientConfig[] { kafka.Consumer("g"), kafka.Consumer("r", partitionEof: true), kafka.Producer(), kafka.Admin() })
        {
            var properties = config.ToDictionary(p => p.Key, p => p.Value);
            foreach (var (key, value) in Security) Assert.Equal(value, properties.GetValueOrDefault(key));
            Assert.Equal("broker:9093", properties["bootstrap.servers"]);
        }
    }

    [Fact]
    public void Each_client_gets_only_the_properties_of_its_kind_and_keeps_those_it_depends_on()
    {
        var kafka = new KafkaClientSettings("broker:9093", ConsumerSection(Security), new Dictionary<string, string> { ["linger.ms"] = "50", ["sasl.username"] = "producer" });

        var consumer = kafka.Consumer("streammetrics");
        var producer = kafka.Producer();
        var admin = kafka.Admin();

        Assert.Equal(("streammetrics", false, 6000, "worker"), (consumer.GroupId, consumer.EnableAutoCommit, consumer.SessionTimeoutMs, consumer.SaslUsername));
        Assert.DoesNotContain(consumer, p => p.Key == "linger.ms");
        Assert.Equal((50.0, "producer"), (producer.LingerMs, producer.SaslUsername));
        Assert.DoesNotContain(producer, p => p.Key is "session.timeout.ms" or "group.id");
        Assert.Equal("producer", admin.SaslUsername);
        Assert.DoesNotContain(admin, p => p.Key is "session.timeout.ms" or "linger.ms" or "group.id");
    }

    [Fact]
    public void librdkafka_warns_of_no_property_of_another_kind_on_the_clients_built()
    {
        // SASL over plain TCP: the clients are built without a certificate store, and connect to nothing.
        var security = new Dictionary<string, string>(Security) { ["security.protocol"] = "SASL_PLAINTEXT" };
        security.Remove("ssl.endpoint.identification.algorithm");
        var kafka = new KafkaClientSettings("127.0.0.1:1", ConsumerSection(security), new Dictionary<string, string> { ["linger.ms"] = "50" });
        var warnings = new List<string>();
        void Record(LogMessage message)
        {
            if (message.Facility == "CONFWARN") lock (warnings) warnings.Add(message.Message);
        }

        using (new AdminClientBuilder(kafka.Admin()).SetLogHandler((_, m) => Record(m)).Build()) { }
        using (new ProducerBuilder<byte[], byte[]>(kafka.Producer()).SetLogHandler((_, m) => Record(m)).Build()) { }
        using (new ConsumerBuilder<byte[], byte[]>(kafka.Consumer("g")).SetLogHandler((_, m) => Record(m)).Build()) { }

        Assert.Empty(warnings);
    }

    [Fact]
    public void Every_consumer_fetches_again_soon_after_its_queue_of_fetched_records_filled_unless_the_consumer_section_says_otherwise()
    {
        // librdkafka's default (a second) left the consumers idle most of each second while orders were waiting.
        Assert.Equal(KafkaClientSettings.FetchQueueBackoffMs, new KafkaClientSettings("broker:9092").Consumer("g").FetchQueueBackoffMs);
        Assert.Equal(KafkaClientSettings.FetchQueueBackoffMs, new KafkaClientSettings("broker:9092").Consumer("r", new ConsumerConfig { QueuedMaxMessagesKbytes = 8192 }, partitionEof: true).FetchQueueBackoffMs);
        var overridden = new KafkaClientSettings("broker:9092", new Dictionary<string, string> { ["fetch.queue.backoff.ms"] = "250" });
        Assert.Equal(250, overridden.Consumer("g").FetchQueueBackoffMs);
    }

    [Theory]
    [InlineData("user:pw-secret@broker:9092,broker2:9092", "***@broker:9092,broker2:9092")]
    [InlineData("SASL_SSL://user:pw-secret@broker:9092", "SASL_SSL://***@broker:9092")]
    [InlineData("broker:9092", "broker:9092")]
    public void Bootstrap_servers_are_shown_without_credentials(string servers, string shown)
    {
        Assert.Equal(shown, new KafkaClientSettings(servers).ShownServers);
    }
}
