using System.Text;
using Confluent.Kafka;
using StreamMetrics.Kafka.Cluster;
using StreamMetrics.Kafka.Producers;
using StreamMetrics.Kafka.State;

namespace StreamMetrics.Kafka.Tests.State;

[Collection(nameof(KafkaCollection))]
public sealed class ChangelogTests(KafkaFixture kafka)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static KeyValuePair<string, byte[]?> Record(string key, string value) => new(key, Encoding.UTF8.GetBytes(value));

    [Fact]
    public async Task A_partition_reads_back_the_latest_value_of_each_key_written_to_it_and_nothing_of_the_others()
    {
        const string topic = "changelog-latest";
        kafka.Cluster.EnsureTopic(topic);
        using (var records = new RecordCollector(kafka.Clients))
        {
            var writer = new ChangelogWriter(records, topic);
            var epoch = await writer.ClaimAsync(2);
            await writer.WriteAsync(2, epoch, [Record("a", "a1"), Record("b", "b1"), Record("ü 😀,=\"", "c1")]);
            await writer.WriteAsync(2, epoch, [Record("a", "a2")]);
            await writer.WriteAsync(1, await writer.ClaimAsync(1), [Record("a", "other partition")]);
        }

        var content = ChangelogReader.Read(kafka.Clients, topic, 2, Timeout);

        Assert.Equal(5, content.RecordsRead); // the claim and four states
        Assert.Equal(["a", "b", "ü 😀,=\""], content.Latest.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("a2", Encoding.UTF8.GetString(content.Latest["a"]));
        Assert.Empty(ChangelogReader.Read(kafka.Clients, topic, 3, Timeout).Latest);
    }

    [Fact]
    public async Task A_tombstone_removes_its_key_from_what_a_restore_reads()
    {
        const string topic = "changelog-tombstone";
        kafka.Cluster.EnsureTopic(topic);
        using (var records = new RecordCollector(kafka.Clients))
        {
            var writer = new ChangelogWriter(records, topic);
            var epoch = await writer.ClaimAsync(0);
            await writer.WriteAsync(0, epoch, [Record("a", "a1"), Record("b", "b1")]);
            await writer.WriteAsync(0, epoch, [new KeyValuePair<string, byte[]?>("a", null)]);
        }

        var content = ChangelogReader.Read(kafka.Clients, topic, 0, Timeout);

        Assert.Equal(4, content.RecordsRead);
        Assert.Equal(["b"], content.Latest.Keys);
    }

    [Fact]
    public async Task Ten_thousand_states_in_one_write_all_arrive()
    {
        const string topic = "changelog-many";
        kafka.Cluster.EnsureTopic(topic);
        using (var records = new RecordCollector(kafka.Clients))
        {
            var writer = new ChangelogWriter(records, topic);
            await writer.WriteAsync(0, await writer.ClaimAsync(0), [.. Enumerable.Range(0, 10_000).Select(i => Record($"customer-{i}", new string('x', 100)))]);
        }

        Assert.Equal(10_000, ChangelogReader.Read(kafka.Clients, topic, 0, Timeout).Latest.Count);
    }

    [Fact]
    public async Task A_former_owner_that_writes_after_a_newer_claim_changes_nothing_a_restore_reads()
    {
        const string topic = "changelog-late-owner";
        kafka.Cluster.EnsureTopic(topic);
        // Two workers: a producer each.
        using var formerRecords = new RecordCollector(kafka.Clients);
        using var nextRecords = new RecordCollector(kafka.Clients);
        var (former, next) = (new ChangelogWriter(formerRecords, topic), new ChangelogWriter(nextRecords, topic));
        var formerEpoch = await former.ClaimAsync(0);
        await former.WriteAsync(0, formerEpoch, [Record("a", "a1"), Record("b", "b1")]);

        var nextEpoch = await next.ClaimAsync(0);
        var restored = ChangelogReader.Read(kafka.Clients, topic, 0, Timeout);
        // The former owner has not heard that it lost the partition: its next checkpoint lands after the claim.
        await former.WriteAsync(0, formerEpoch, [Record("a", "a0 (stale)"), Record("c", "c0 (stale)"), new KeyValuePair<string, byte[]?>("b", null)]);
        var afterLateWrite = ChangelogReader.Read(kafka.Clients, topic, 0, Timeout);
        await next.WriteAsync(0, nextEpoch, [Record("b", "b2")]);
        var afterNextWrite = ChangelogReader.Read(kafka.Clients, topic, 0, Timeout);

        Assert.True(nextEpoch > formerEpoch);
        Assert.Equal(Texts(restored), Texts(afterLateWrite));
        Assert.Equal(3, afterLateWrite.StaleRecords);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "a1", ["b"] = "b2" }, Texts(afterNextWrite));
    }

    [Fact]
    public async Task A_newer_owners_record_fences_older_epochs_after_it_when_compaction_has_removed_its_claim()
    {
        const string topic = "changelog-compacted-claim";
        kafka.Cluster.EnsureTopic(topic);
        using (var producer = new ProducerBuilder<string, string?>(kafka.Clients.Producer()).Build())
        {
            // What compaction may leave: the newer owner's claim (epoch 7) is gone, the records written under it stay.
            foreach (var (key, value, epoch) in new[] { ("a", "a-epoch-3", 3L), ("a", "a-epoch-7", 7L), ("a", "a-epoch-3 late", 3L), ("b", "b-epoch-7", 7L) })
                await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<string, string?> { Key = key, Value = value, Headers = ChangelogOwnership.HeadersFor(epoch) });
        }

        var content = ChangelogReader.Read(kafka.Clients, topic, 0, Timeout);

        Assert.Equal(new Dictionary<string, string> { ["a"] = "a-epoch-7", ["b"] = "b-epoch-7" }, Texts(content));
        Assert.Equal(1, content.StaleRecords);
    }

    [Fact]
    public async Task A_checkpoint_cut_short_by_a_crash_is_undone_and_stays_undone_after_the_next_owner_commits()
    {
        const string topic = "changelog-cut-short";
        const string commit = "\u0000commit";
        kafka.Cluster.EnsureTopic(topic);
        using var records = new RecordCollector(kafka.Clients);
        var writer = new ChangelogWriter(records, topic);
        var epoch = await writer.ClaimAsync(0);
        await writer.WriteAsync(0, epoch, [Record("a", "a1"), Record("b", "b1"), Record(commit, "1")]);
        // The second checkpoint lost its last records, its commit among them: the process died while writing it.
        await writer.WriteAsync(0, epoch, [Record("a", "a2"), Record("c", "c2"), new KeyValuePair<string, byte[]?>("b", null), Record("a", "a2 again")]);

        var nextEpoch = await writer.ClaimAsync(0);
        var restored = ChangelogReader.Read(kafka.Clients, topic, 0, Timeout, commit);
        await writer.WriteAsync(0, nextEpoch, restored.Undo);
        // The next owner's first checkpoint changes one key of the cut-short one: the others keep their committed values.
        await writer.WriteAsync(0, nextEpoch, [Record("c", "c3"), Record(commit, "3")]);
        var afterNextCommit = ChangelogReader.Read(kafka.Clients, topic, 0, Timeout, commit);

        var committed = new Dictionary<string, string> { ["a"] = "a1", ["b"] = "b1", [commit] = "1" };
        Assert.Equal(committed, Texts(restored));
        Assert.Equal([commit, "a", "b", "c"], restored.Undo.Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.Null(restored.Undo.Single(r => r.Key == "c").Value);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "a1", ["b"] = "b1", ["c"] = "c3", [commit] = "3" }, Texts(afterNextCommit));
        Assert.Empty(afterNextCommit.Undo);
    }

    private static Dictionary<string, string> Texts(ChangelogContent content) =>
        content.Latest.ToDictionary(e => e.Key, e => Encoding.UTF8.GetString(e.Value));

    [Fact]
    public async Task The_changelog_topic_is_created_with_the_partitions_of_the_orders_topic()
    {
        kafka.Cluster.EnsureTopic("changelog-orders");
        await InternalTopic.EnsureAsync(kafka.Clients, "changelog-orders-state", "changelog-orders", compacted: true, Timeout);
        Assert.Equal(4, kafka.Cluster.EnsureTopic("changelog-orders-state"));
    }

    [Fact]
    public async Task A_missing_orders_topic_is_refused_by_name_and_not_created()
    {
        var error = await Assert.ThrowsAsync<TopicSetupException>(() =>
            InternalTopic.EnsureAsync(kafka.Clients, "missing-orders-state", "missing-orders", compacted: true, Timeout));

        Assert.StartsWith("topic 'missing-orders' does not exist on 127.0.0.1:", error.Message);
        Assert.EndsWith("check Kafka:Topic, or create the topic", error.Message);
        using var admin = new AdminClientBuilder(kafka.Clients.Admin()).Build();
        Assert.DoesNotContain(admin.GetMetadata(Timeout).Topics, t => t.Topic is "missing-orders" or "missing-orders-state");
    }

    [Fact]
    public async Task On_the_dev_cluster_the_cleanup_policy_of_the_state_topic_is_reported_unchecked()
    {
        // librdkafka's mock cluster names no controller: DescribeConfigs (and CreateTopics) wait for one until they time out.
        kafka.Cluster.EnsureTopic("unchecked-orders");

        var check = await InternalTopic.EnsureAsync(kafka.Clients, "unchecked-orders-state", "unchecked-orders", compacted: true, Timeout);

        Assert.Equal(4, check.Partitions);
        Assert.Contains("no controller", check.CleanupPolicyUnchecked);
    }

    [Theory]
    [InlineData("compact", true)]
    [InlineData("compact,delete", true)]
    [InlineData("delete, compact", true)]
    [InlineData("delete", false)]
    [InlineData("", false)]
    public void A_state_topic_is_accepted_only_when_its_cleanup_policy_compacts(string policy, bool accepted)
    {
        var refusal = InternalTopic.RefusalOfCleanupPolicy("g-state", policy);

        Assert.Equal(accepted, refusal is null);
        if (refusal is not null)
        {
            Assert.StartsWith($"topic 'g-state' has cleanup.policy={policy}, so the broker deletes", refusal.Message);
            Assert.Contains("--add-config cleanup.policy=compact", refusal.Message);
        }
    }

    [Fact]
    public void Too_few_partitions_name_both_topics_and_the_command_that_adds_them()
    {
        Assert.Equal("topic 'g-state' has 2 partitions but 'orders' has 4; partition p of it belongs to partition p of the orders, " +
                     "so add partitions to it (kafka-topics.sh --alter --topic g-state --partitions 4)",
            InternalTopic.TooFewPartitions("g-state", 2, "orders", 4).Message);
    }
}
