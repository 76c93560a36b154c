using Confluent.Kafka;
using Confluent.Kafka.Admin;
using StreamMetrics.Kafka.Logging;

namespace StreamMetrics.Kafka.Lag;

/// <summary>
/// Reads a consumer group's lag on a topic from the cluster: end and committed offsets, the timestamp of
/// the oldest record not yet committed on each partition, and the member each partition is assigned to.
/// Nothing here joins the group, so it works while no worker runs and disturbs none that does.
/// </summary>
public static class GroupLagReader
{
    public static async Task<GroupLag> ReadAsync(KafkaClientSettings kafka, string topic, string group, TimeProvider time, TimeSpan timeout)
    {
        using var admin = new AdminClientBuilder(kafka.Admin()).WithOurLog(kafka.BootstrapServers).Build();
        var metadata = admin.GetMetadata(topic, timeout).Topics.Single();
        if (metadata.Error.IsError) throw new KafkaException(metadata.Error);
        var partitions = metadata.Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).OrderBy(p => p.Partition.Value).ToList();
        var (owners, members, ownersUnknown) = await OwnersAsync(admin, group, topic, timeout);

        // A consumer that never subscribes reads offsets without joining the group.
        using var consumer = new ConsumerBuilder<byte[], byte[]>(kafka.Consumer(group, new ConsumerConfig { EnableAutoOffsetStore = false }))
            .WithOurLog(kafka.BootstrapServers).Build();
        var at = time.GetUtcNow();
        var committed = consumer.Committed(partitions, timeout).ToDictionary(c => c.Partition.Value, c => c.Offset.Value >= 0 ? c.Offset.Value : (long?)null);
        var lags = new List<PartitionLag>();
        var resumeAt = new Dictionary<int, long>();
        foreach (var partition in partitions)
        {
            var watermarks = consumer.QueryWatermarkOffsets(partition, timeout);
            var from = Math.Max(committed[partition.Partition.Value] ?? watermarks.Low.Value, watermarks.Low.Value);
            var end = watermarks.High.Value;
            lags.Add(new PartitionLag(partition.Partition.Value, committed[partition.Partition.Value], end, Math.Max(end - from, 0), 0,
                owners.GetValueOrDefault(partition.Partition.Value)));
            if (end > from) resumeAt[partition.Partition.Value] = from;
        }
        var oldest = OldestTimestamps(consumer, topic, resumeAt, timeout);
        lags = [.. lags.Select(l => oldest.TryGetValue(l.Partition, out var timestamp) ? l with { LagSeconds = Math.Max((at - timestamp).TotalSeconds, 0) } : l)];
        return new GroupLag(group, topic, at, lags, members) { OwnersUnknown = ownersUnknown };
    }

    /// <summary>The timestamp of the record at each given offset: the oldest one the group has not committed.</summary>
    private static Dictionary<int, DateTimeOffset> OldestTimestamps(IConsumer<byte[], byte[]> consumer, string topic, Dictionary<int, long> offsets, TimeSpan timeout)
    {
        var found = new Dictionary<int, DateTimeOffset>();
        if (offsets.Count == 0) return found;
        consumer.Assign(offsets.Select(o => new TopicPartitionOffset(topic, o.Key, o.Value)));
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (found.Count < offsets.Count && waited.Elapsed < timeout)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is not { } record || found.ContainsKey(record.Partition.Value)) continue;
            found[record.Partition.Value] = record.Message.Timestamp.UnixTimestampMs is var ms and > 0
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : DateTimeOffset.UnixEpoch;
            consumer.Pause([record.TopicPartition]);
        }
        consumer.Unassign();
        return found;
    }

    /// <summary>Which member owns each partition of the topic, and how many members the group has; or why the cluster cannot say.</summary>
    private static async Task<(Dictionary<int, string> Owners, int? Members, string? Unknown)> OwnersAsync(IAdminClient admin, string group, string topic, TimeSpan timeout)
    {
        try
        {
            var described = await admin.DescribeConsumerGroupsAsync([group], new DescribeConsumerGroupsOptions { RequestTimeout = timeout });
            var members = described.ConsumerGroupDescriptions.SelectMany(g => g.Members).ToList();
            var owners = new Dictionary<int, string>();
            foreach (var member in members)
                foreach (var assigned in member.Assignment?.TopicPartitions ?? [])
                    if (assigned.Topic == topic) owners[assigned.Partition.Value] = $"{member.ClientId}@{member.Host.TrimStart('/')}";
            return (owners, members.Count, null);
        }
        catch (KafkaException e)
        {
            // An old broker, or librdkafka's mock cluster, cannot describe groups: owners stay unknown, and say why.
            return ([], null, WhyOwnersUnknown(e));
        }
    }

    /// <summary>
    /// Why describing the group failed, in a few plain words: librdkafka's own text ("An error occurred describing
    /// consumer groups: [g]: [Local: Required feature not supported by broker].") is meant for its developers.
    /// </summary>
    internal static string WhyOwnersUnknown(KafkaException e)
    {
        var code = e is DescribeConsumerGroupsException described
            && described.Results.ConsumerGroupDescriptions.FirstOrDefault(g => g.Error.IsError) is { } failed
            ? failed.Error.Code
            : e.Error.Code;
        return code switch
        {
            ErrorCode.Local_UnsupportedFeature or ErrorCode.UnsupportedVersion or ErrorCode.InvalidRequest => "not supported by this cluster",
            ErrorCode.GroupAuthorizationFailed or ErrorCode.ClusterAuthorizationFailed or ErrorCode.TopicAuthorizationFailed => "not authorized to describe the group",
            ErrorCode.Local_TimedOut or ErrorCode.RequestTimedOut => "no answer in time",
            ErrorCode.GroupIdNotFound => "no such group",
            _ => $"the cluster answered {code}",
        };
    }
}
