using Akka.Actor;
using Confluent.Kafka;
using StreamMetrics.Kafka.DevCluster;

namespace StreamMetrics.Kafka.Tests;

/// <summary>One dev cluster (librdkafka's mock: the real wire protocol) and one actor system per test collection.</summary>
public sealed class KafkaFixture : IDisposable
{
    public DevKafkaCluster Cluster { get; } = DevKafkaCluster.Start(1);

    public ActorSystem System { get; } = ActorSystem.Create("kafka-tests");

    /// <summary>What our clients are built from on this cluster, without overrides.</summary>
    public KafkaClientSettings Clients => new(Cluster.BootstrapServers);

    /// <summary>
    /// The same for consumers in a group: the mock cluster waits up to a session timeout before it completes each rebalance
    /// phase, and librdkafka's default of 45 s would leave a first assignment to chance within a test's patience.
    /// </summary>
    public KafkaClientSettings GroupClients =>
        new(Cluster.BootstrapServers, new Dictionary<string, string> { ["session.timeout.ms"] = "6000", ["heartbeat.interval.ms"] = "500" });

    /// <summary>Produces <paramref name="count"/> records to each of the given partitions, values "p:i".</summary>
    public void Produce(string topic, int count, params int[] partitions) => ProducePadded(topic, count, padding: 0, partitions);

    /// <summary>Record i of partition p has the value "p:i", followed by <paramref name="padding"/> spaces.</summary>
    public void ProducePadded(string topic, int count, int padding, params int[] partitions)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = Cluster.BootstrapServers, LingerMs = 5 }).Build();
        foreach (var partition in partitions)
            for (var i = 0; i < count; i++)
                producer.Produce(new TopicPartition(topic, partition),
                    new Message<byte[], byte[]> { Key = [(byte)partition], Value = global::System.Text.Encoding.UTF8.GetBytes($"{partition}:{i}{new string(' ', padding)}") });
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
    }

    public void Dispose()
    {
        System.Terminate().Wait(TimeSpan.FromSeconds(10));
        Cluster.Dispose();
    }
}

[CollectionDefinition(nameof(KafkaCollection))]
public sealed class KafkaCollection : ICollectionFixture<KafkaFixture>;
