using Confluent.Kafka;
using Confluent.Kafka.Admin;
using StreamMetrics.Kafka.Logging;

namespace StreamMetrics.Kafka.State;

/// <summary>
/// Makes sure one of the worker's own topics (the state changelog, compacted; the demand topic) exists
/// with at least as many partitions as the orders topic.
/// </summary>
public static class InternalTopic
{
    /// <summary>Returns the topic's partition count (0 while the orders topic does not exist).</summary>
    public static async Task<int> EnsureAsync(string bootstrapServers, string changelogTopic, string ordersTopic, bool compacted, TimeSpan timeout)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).WithOurLog(bootstrapServers).Build();
        var orders = PartitionCount(admin, ordersTopic, timeout);
        if (orders == 0) return 0; // nothing to keep state for yet; the orders topic does not exist
        var changelog = PartitionCount(admin, changelogTopic, timeout);
        if (changelog == 0)
        {
            try
            {
                await admin.CreateTopicsAsync([new TopicSpecification
                {
                    Name = changelogTopic,
                    NumPartitions = orders,
                    ReplicationFactor = -1,
                    Configs = new Dictionary<string, string> { ["cleanup.policy"] = compacted ? "compact" : "delete" },
                }]);
                return orders;
            }
            catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code == ErrorCode.TopicAlreadyExists))
            {
                changelog = PartitionCount(admin, changelogTopic, timeout);
            }
        }
        if (changelog < orders)
            throw new InvalidOperationException(
                $"topic '{changelogTopic}' has {changelog} partitions but '{ordersTopic}' has {orders}; partition p of it belongs to partition p of the orders, so it needs at least {orders}");
        return changelog;
    }

    private static int PartitionCount(IAdminClient admin, string topic, TimeSpan timeout)
    {
        var metadata = admin.GetMetadata(topic, timeout).Topics.SingleOrDefault();
        return metadata is null || metadata.Error.IsError ? 0 : metadata.Partitions.Count;
    }
}
