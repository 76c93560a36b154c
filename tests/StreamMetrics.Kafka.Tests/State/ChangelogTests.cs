using System.Text;
using StreamMetrics.Kafka.State;

namespace StreamMetrics.Kafka.Tests.State;

[Collection(nameof(KafkaCollection))]
public sealed class ChangelogTests(KafkaFixture kafka)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static KeyValuePair<string, byte[]> Record(string key, string value) => new(key, Encoding.UTF8.GetBytes(value));

    [Fact]
    public async Task A_partition_reads_back_the_latest_value_of_each_key_written_to_it_and_nothing_of_the_others()
    {
        const string topic = "changelog-latest";
        kafka.Cluster.EnsureTopic(topic);
        using (var writer = new ChangelogWriter(kafka.Cluster.BootstrapServers, topic))
        {
            await writer.WriteAsync(2, [Record("a", "a1"), Record("b", "b1"), Record("ü 😀,=\"", "c1")]);
            await writer.WriteAsync(2, [Record("a", "a2")]);
            await writer.WriteAsync(1, [Record("a", "other partition")]);
        }

        var content = ChangelogReader.Read(kafka.Cluster.BootstrapServers, topic, 2, Timeout);

        Assert.Equal(4, content.RecordsRead);
        Assert.Equal(["a", "b", "ü 😀,=\""], content.Latest.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("a2", Encoding.UTF8.GetString(content.Latest["a"]));
        Assert.Empty(ChangelogReader.Read(kafka.Cluster.BootstrapServers, topic, 3, Timeout).Latest);
    }

    [Fact]
    public async Task Ten_thousand_states_in_one_write_all_arrive()
    {
        const string topic = "changelog-many";
        kafka.Cluster.EnsureTopic(topic);
        using (var writer = new ChangelogWriter(kafka.Cluster.BootstrapServers, topic))
            await writer.WriteAsync(0, [.. Enumerable.Range(0, 10_000).Select(i => Record($"customer-{i}", new string('x', 100)))]);

        Assert.Equal(10_000, ChangelogReader.Read(kafka.Cluster.BootstrapServers, topic, 0, Timeout).Latest.Count);
    }

    [Fact]
    public async Task The_changelog_topic_is_created_with_the_partitions_of_the_orders_topic()
    {
        kafka.Cluster.EnsureTopic("changelog-orders");
        await InternalTopic.EnsureAsync(kafka.Cluster.BootstrapServers, "changelog-orders-state", "changelog-orders", compacted: true, Timeout);
        Assert.Equal(4, kafka.Cluster.EnsureTopic("changelog-orders-state"));
    }
}
