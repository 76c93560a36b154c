using System.Globalization;
using System.Text;
using Confluent.Kafka;
using StreamMetrics.Kafka.Logging;

namespace StreamMetrics.Kafka.Producers;

/// <summary>
/// Shares each partition's population sample between workers through a compacted topic (key = the
/// orders partition): every worker publishes the partitions it owns and reads the newest sample of
/// every other partition, so that each fits the population models on the whole population.
/// </summary>
/// <remarks>Called from one thread at a time (the pipeline's first stage).</remarks>
public sealed class PopulationExchange : IDisposable
{
    private readonly string _topic;
    private readonly RecordCollector _records;
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly Dictionary<int, byte[]> _latest = new();
    private bool _assigned;

    public PopulationExchange(RecordCollector records, KafkaClientSettings kafka, string topic, string groupId)
    {
        _topic = topic;
        _records = records;
        // Assigned, never subscribed: every worker reads every partition of the topic, and no group offsets are kept.
        _consumer = new ConsumerBuilder<byte[], byte[]>(kafka.Consumer($"{groupId}-population",
            new ConsumerConfig { FetchMaxBytes = 64 << 20, MaxPartitionFetchBytes = 16 << 20 })).WithOurLog(kafka.BootstrapServers).Build();
    }

    /// <summary>Publishes the sample of one orders partition; completes when the broker has it.</summary>
    public Task PublishAsync(int partition, byte[] sample) =>
        _records.SendAsync(_topic, new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(partition.ToString(CultureInfo.InvariantCulture)),
            Value = sample,
        });

    /// <summary>The newest sample of every orders partition published so far, after reading what has arrived.</summary>
    public IReadOnlyDictionary<int, byte[]> Latest()
    {
        AssignOnce();
        while (_consumer.Consume(TimeSpan.Zero) is { Message: { } message })
            if (int.TryParse(Encoding.UTF8.GetString(message.Key), NumberStyles.None, CultureInfo.InvariantCulture, out var partition))
                _latest[partition] = message.Value;
        return _latest;
    }

    /// <summary>Assigns every partition of the topic on first use, not in the constructor: a worker is built before it knows Kafka answers.</summary>
    private void AssignOnce()
    {
        if (_assigned) return;
        using var admin = new DependentAdminClientBuilder(_records.Handle).Build();
        var partitions = admin.GetMetadata(_topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Select(p => p.PartitionId);
        _consumer.Assign(partitions.Select(p => new TopicPartitionOffset(_topic, p, Offset.Beginning)));
        _assigned = true;
    }

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }
}
