using Confluent.Kafka;
using StreamMetrics.Kafka.Logging;
using StreamMetrics.Kafka.Producers;

namespace StreamMetrics.Kafka.Profiles;

/// <summary>
/// Reads every partition of the compacted profiles topic from its start, outside any group, the way
/// Kafka Streams reads a global table: first up to the end offsets (<see cref="ReadToEnd"/>), then
/// whatever has arrived since (<see cref="ReadArrived"/>). The topic need not exist: a deployment
/// without profiles has every customer in segment <c>unknown</c>, and a topic created later is picked up.
/// </summary>
/// <remarks>Called from one thread at a time.</remarks>
public sealed class ProfilesTopicReader : IDisposable
{
    private static readonly TimeSpan RecheckMissingTopic = TimeSpan.FromSeconds(30);
    // A burst of profile changes is taken over several calls rather than holding up the caller.
    private const int MaxArrivedPerRead = 10_000;

    private readonly string _topic;
    private readonly IConsumer<byte[]?, byte[]?> _consumer;
    private DateTime _nextCheck = DateTime.MinValue;
    private bool _assigned;

    public ProfilesTopicReader(KafkaClientSettings kafka, string topic)
    {
        _topic = topic;
        // Assigned, never subscribed: every worker reads every partition, and no group offsets are kept.
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(kafka.Consumer("streammetrics-profiles", partitionEof: true)).WithOurLog(kafka.BootstrapServers).Build();
    }

    /// <summary>Whether the topic exists and is being read.</summary>
    public bool TopicExists => _assigned;

    /// <summary>Hands every record up to the end offsets of now to <paramref name="onRecord"/>; returns how many.</summary>
    public long ReadToEnd(TimeSpan timeout, Action<ConsumeResult<byte[]?, byte[]?>> onRecord)
    {
        if (!TryAssign(timeout)) return 0;
        var ends = _consumer.Assignment.ToDictionary(p => p.Partition.Value, p => _consumer.QueryWatermarkOffsets(p, timeout).High.Value);
        var unfinished = ends.Where(e => e.Value > 0).Select(e => e.Key).ToHashSet();
        var deadline = DateTime.UtcNow + timeout;
        long read = 0;
        while (unfinished.Count > 0)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"reading '{_topic}' did not reach its end offsets within {timeout}; partitions {string.Join(",", unfinished.Order())} are behind");
            if (_consumer.Consume(TimeSpan.FromMilliseconds(200)) is not { } result) continue;
            var partition = result.Partition.Value;
            if (!result.IsPartitionEOF)
            {
                read++;
                onRecord(result);
            }
            if (result.Offset.Value + (result.IsPartitionEOF ? 0 : 1) >= ends[partition]) unfinished.Remove(partition);
        }
        return read;
    }

    /// <summary>Hands (up to 10,000 of) the records that have arrived since the last read to <paramref name="onRecord"/>, without waiting; returns how many.</summary>
    public long ReadArrived(Action<ConsumeResult<byte[]?, byte[]?>> onRecord)
    {
        if (!_assigned && (DateTime.UtcNow < _nextCheck || !TryAssign(TimeSpan.FromSeconds(5)))) return 0;
        long read = 0;
        while (read < MaxArrivedPerRead && _consumer.Consume(TimeSpan.Zero) is { } result)
        {
            if (result.IsPartitionEOF) continue;
            read++;
            onRecord(result);
        }
        return read;
    }

    /// <summary>A record that is not a profile, for the dead-letter topic.</summary>
    public static DeadLetter ToDeadLetter(ConsumeResult<byte[]?, byte[]?> record, string error) =>
        new(record.Topic, record.Partition.Value, record.Offset.Value, record.Message.Key, record.Message.Value, error);

    private bool TryAssign(TimeSpan timeout)
    {
        if (_assigned) return true;
        _nextCheck = DateTime.UtcNow + RecheckMissingTopic;
        using var admin = new DependentAdminClientBuilder(_consumer.Handle).Build();
        var metadata = admin.GetMetadata(_topic, timeout).Topics.Single();
        if (metadata.Error.Code == ErrorCode.UnknownTopicOrPart || metadata.Partitions.Count == 0) return false;
        if (metadata.Error.IsError) throw new KafkaException(metadata.Error);
        _consumer.Assign(metadata.Partitions.Select(p => new TopicPartitionOffset(_topic, p.PartitionId, Offset.Beginning)));
        _assigned = true;
        return true;
    }

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }
}
