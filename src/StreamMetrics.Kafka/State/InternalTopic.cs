using System.Collections.Concurrent;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using StreamMetrics.Kafka.Cluster;
using StreamMetrics.Kafka.Logging;

namespace StreamMetrics.Kafka.State;

/// <summary>
/// Makes sure one of the worker's own topics (the state changelog, compacted; the demand topic) exists with at
/// least as many partitions as the orders topic and, for a compacted one, that the broker compacts it: a state
/// changelog under <c>cleanup.policy=delete</c> loses the customers it has not heard from within the retention.
/// </summary>
/// <remarks>
/// Topics are looked up in the metadata of every topic, never asked for by name: on a broker that auto-creates
/// topics, asking by name creates one with the broker's defaults (not compacted, its default partition count),
/// and would create a missing orders topic too. librdkafka's dev cluster is the exception: it names no
/// controller, so it answers neither CreateTopics nor DescribeConfigs (both wait for the controller until they
/// time out). There the topic is created the only way that cluster offers, by asking for it by name, and its
/// cleanup policy is reported as unchecked.
/// </remarks>
public static class InternalTopic
{
    // After a metadata answer, a cluster with a controller names it within a round trip.
    private static readonly TimeSpan ControllerWait = TimeSpan.FromSeconds(2);
    private static readonly ConcurrentDictionary<string, bool> HasControllerByServers = new(StringComparer.Ordinal);

    /// <summary>Creates or checks <paramref name="topic"/>; throws <see cref="TopicSetupException"/> when the orders topic is missing or the topic cannot serve.</summary>
    public static async Task<InternalTopicCheck> EnsureAsync(KafkaClientSettings kafka, string topic, string ordersTopic, bool compacted, TimeSpan timeout)
    {
        using var admin = new AdminClientBuilder(kafka.Admin()).WithOurLog(kafka.BootstrapServers).Build();
        var orders = PartitionCount(admin, ordersTopic, timeout);
        if (orders == 0)
            throw new TopicSetupException($"topic '{ordersTopic}' does not exist on {kafka.ShownServers}; check Kafka:Topic, or create the topic");
        var hasController = await HasControllerAsync(admin, kafka.BootstrapServers);
        const string noController = "the cluster names no controller to ask, as librdkafka's dev cluster does";
        var partitions = PartitionCount(admin, topic, timeout);
        if (partitions == 0 && !hasController)
            partitions = admin.GetMetadata(topic, timeout).Topics.Single().Partitions.Count;
        else if (partitions == 0)
        {
            try
            {
                await admin.CreateTopicsAsync([new TopicSpecification
                {
                    Name = topic,
                    NumPartitions = orders,
                    ReplicationFactor = -1,
                    Configs = new Dictionary<string, string> { ["cleanup.policy"] = compacted ? "compact" : "delete" },
                }], new CreateTopicsOptions { RequestTimeout = timeout });
                return new InternalTopicCheck(orders, null);
            }
            catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code == ErrorCode.TopicAlreadyExists))
            {
                partitions = PartitionCount(admin, topic, timeout);
            }
        }
        if (partitions < orders) throw TooFewPartitions(topic, partitions, ordersTopic, orders);
        if (!compacted) return new InternalTopicCheck(partitions, null);
        if (!hasController) return new InternalTopicCheck(partitions, noController);
        return new InternalTopicCheck(partitions, await WhyCompactionUncheckedAsync(admin, topic, timeout));
    }

    /// <summary>The refusal of a topic whose partition p cannot serve partition p of the orders for every p.</summary>
    public static TopicSetupException TooFewPartitions(string topic, int partitions, string ordersTopic, int orders) => new(
        $"topic '{topic}' has {partitions} partitions but '{ordersTopic}' has {orders}; partition p of it belongs to partition p of the orders, " +
        $"so add partitions to it (kafka-topics.sh --alter --topic {topic} --partitions {orders})");

    /// <summary>Null when a <c>cleanup.policy</c> value (<c>compact</c>, <c>delete</c> or both, comma-separated) includes compaction; otherwise the refusal.</summary>
    public static TopicSetupException? RefusalOfCleanupPolicy(string topic, string policy) =>
        policy.Split(',', StringSplitOptions.TrimEntries).Contains("compact", StringComparer.OrdinalIgnoreCase)
            ? null
            : new TopicSetupException(
                $"topic '{topic}' has cleanup.policy={policy}, so the broker deletes the states of customers not heard from within its retention; make it compacted " +
                $"(kafka-configs.sh --alter --entity-type topics --entity-name {topic} --add-config cleanup.policy=compact) or set Kafka:StateTopic to a compacted topic");

    /// <summary>Throws when the broker does not compact the topic; returns why it could not tell, or null when it is compacted.</summary>
    private static async Task<string?> WhyCompactionUncheckedAsync(IAdminClient admin, string topic, TimeSpan timeout)
    {
        List<DescribeConfigsResult> described;
        try
        {
            described = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = topic }],
                new DescribeConfigsOptions { RequestTimeout = timeout });
        }
        catch (DescribeConfigsException e) when (e.Results.Any(r => r.Error.Code is ErrorCode.TopicAuthorizationFailed or ErrorCode.ClusterAuthorizationFailed))
        {
            return "not authorized to describe its configuration";
        }
        catch (KafkaException e) when (e.Error.Code is ErrorCode.Local_UnsupportedFeature or ErrorCode.UnsupportedVersion or ErrorCode.InvalidRequest)
        {
            return "the cluster does not describe topic configurations";
        }
        var policy = described.Single().Entries.TryGetValue("cleanup.policy", out var entry) ? entry.Value ?? "" : "";
        if (RefusalOfCleanupPolicy(topic, policy) is { } refusal) throw refusal;
        return null;
    }

    private static async Task<bool> HasControllerAsync(IAdminClient admin, string bootstrapServers)
    {
        if (HasControllerByServers.TryGetValue(bootstrapServers, out var known)) return known;
        bool found;
        try
        {
            found = (await admin.DescribeClusterAsync(new DescribeClusterOptions { RequestTimeout = ControllerWait })).Controller is not null;
        }
        catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_TimedOut)
        {
            found = false;
        }
        return HasControllerByServers[bootstrapServers] = found;
    }

    private static int PartitionCount(IAdminClient admin, string topic, TimeSpan timeout)
    {
        var metadata = admin.GetMetadata(timeout).Topics.SingleOrDefault(t => t.Topic == topic);
        return metadata is null || metadata.Error.IsError ? 0 : metadata.Partitions.Count;
    }
}

/// <summary>What <see cref="InternalTopic.EnsureAsync"/> found: the topic's partition count, and why its cleanup policy could not be checked (null when it was, or need not be).</summary>
public sealed record InternalTopicCheck(int Partitions, string? CleanupPolicyUnchecked);
