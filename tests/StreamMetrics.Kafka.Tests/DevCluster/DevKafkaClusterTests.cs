using System.Text;
using Confluent.Kafka;
using StreamMetrics.Kafka.DevCluster;

namespace StreamMetrics.Kafka.Tests.DevCluster;

public sealed class DevKafkaClusterTests
{
    [Fact]
    public async Task The_cluster_speaks_Kafka_on_loopback_and_creates_topics_with_four_partitions()
    {
        using var cluster = DevKafkaCluster.Start(brokers: 2);

        Assert.Matches(@"^127\.0\.0\.1:\d+,127\.0\.0\.1:\d+$", cluster.BootstrapServers);
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        await producer.ProduceAsync("probe", new Message<byte[], byte[]> { Key = "k"u8.ToArray(), Value = "v"u8.ToArray() });
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        var topic = admin.GetMetadata("probe", TimeSpan.FromSeconds(10)).Topics.Single();
        Assert.Equal(4, topic.Partitions.Count);

        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers, GroupId = "g", AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe("probe");
        ConsumeResult<byte[], byte[]>? result = null;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (result is null && DateTime.UtcNow < deadline) result = consumer.Consume(TimeSpan.FromMilliseconds(200));
        Assert.Equal("v", Encoding.UTF8.GetString(result!.Message.Value));
        consumer.Close();
    }

    [Fact]
    public void A_topic_can_be_created_before_anyone_produces_to_it()
    {
        using var cluster = DevKafkaCluster.Start();

        Assert.Equal(4, cluster.EnsureTopic("created-early"));
        Assert.Equal(4, cluster.EnsureTopic("created-early"));
    }
}
