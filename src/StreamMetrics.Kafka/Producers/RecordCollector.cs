using Confluent.Kafka;
using StreamMetrics.Kafka.Logging;

namespace StreamMetrics.Kafka.Producers;

/// <summary>
/// The worker's one Kafka producer (idempotent, <see cref="KafkaClientSettings.Producer"/>), through which everything it
/// writes to Kafka goes: changelog claims and records, alerts, dead letters, demand partials and alerts, population
/// samples and refused points. One producer holds one set of broker connections and one idempotent sequence per
/// partition, whatever the number of topics. The topic-specific writers format records; each sender awaits the
/// deliveries a commit depends on before that commit.
/// </summary>
public sealed class RecordCollector(KafkaClientSettings kafka) : IDisposable
{
    private readonly IProducer<byte[]?, byte[]?> _producer = new ProducerBuilder<byte[]?, byte[]?>(kafka.Producer()).WithOurLog(kafka.BootstrapServers).Build();

    /// <summary>The producer's client handle, for an admin client that shares its connections.</summary>
    public Handle Handle => _producer.Handle;

    /// <summary>Completes when the broker has the record; faults when it cannot be delivered.</summary>
    public Task<DeliveryResult<byte[]?, byte[]?>> SendAsync(string topic, Message<byte[]?, byte[]?> message) =>
        _producer.ProduceAsync(topic, message);

    /// <summary>Sends a record to a partition of the caller's choice.</summary>
    public Task<DeliveryResult<byte[]?, byte[]?>> SendAsync(TopicPartition target, Message<byte[]?, byte[]?> message) =>
        _producer.ProduceAsync(target, message);

    /// <summary>
    /// Queues records in their order, waiting while librdkafka's queue is full; the task it returns then completes when
    /// the broker has every one, and faults with the first delivery error. Whoever queues more after awaiting this keeps
    /// them behind these. One task for them all: a task for each record cost its own state machine, task and result (4 %
    /// of what the worker allocated, in its alerts and demand partials).
    /// </summary>
    public async ValueTask<Task> EnqueueAllAsync(IReadOnlyList<(TopicPartition Target, Message<byte[]?, byte[]?> Message)> records)
    {
        if (records.Count == 0) return Task.CompletedTask;
        var outstanding = records.Count;
        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Action<DeliveryReport<byte[]?, byte[]?>> onDelivery = report => // one delegate for all the records
        {
            if (report.Error.IsError) delivered.TrySetException(new KafkaException(report.Error));
            else if (Interlocked.Decrement(ref outstanding) == 0) delivered.TrySetResult();
        };

        foreach (var (target, message) in records) await EnqueueAsync(target, message, onDelivery);
        return delivered.Task;
    }

    /// <summary>
    /// Queues a record whose delivery <paramref name="onDelivery"/> hears of, without a task per record (for many at
    /// once); while librdkafka's queue is full, waits for deliveries to make room.
    /// </summary>
    private async ValueTask EnqueueAsync(TopicPartition target, Message<byte[]?, byte[]?> message, Action<DeliveryReport<byte[]?, byte[]?>> onDelivery)
    {
        while (true)
        {
            try
            {
                _producer.Produce(target, message, onDelivery);
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                await Task.Delay(10);
            }
        }
    }

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(10));
        _producer.Dispose();
    }
}
