using Confluent.Kafka;
using StreamMetrics.Kafka.Lag;

namespace StreamMetrics.Kafka.Tests.Lag;

[Collection(nameof(KafkaCollection))]
public sealed class GroupLagReaderTests(KafkaFixture kafka)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_lag_shows_what_the_group_committed_and_owners_unknown_in_plain_words_where_the_cluster_cannot_describe_groups()
    {
        const string topic = "lag-reader", group = "lag-reader-group";
        kafka.Produce(topic, 10, 0, 1, 2, 3);
        // The group commits 7 on partition 0 and 3 on partition 2, nothing on 1 and 3.
        using (var member = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = kafka.Cluster.BootstrapServers, GroupId = group }).Build())
            member.Commit([new TopicPartitionOffset(topic, 0, 7), new TopicPartitionOffset(topic, 2, 3)]);

        var lag = await GroupLagReader.ReadAsync(kafka.Clients, topic, group, TimeProvider.System, Timeout);

        Assert.Equal([(0, 7L, 10L, 3L), (1, null, 10L, 10L), (2, 3L, 10L, 7L), (3, null, 10L, 10L)],
            lag.Partitions.Select(p => (p.Partition, p.Committed, p.End, p.Lag)));
        // librdkafka's mock cluster cannot describe groups: no owner, no member count, and no librdkafka text for the page.
        Assert.All(lag.Partitions, p => Assert.Null(p.Owner));
        Assert.Null(lag.Members);
        Assert.Equal("not supported by this cluster", lag.OwnersUnknown);
    }
}
