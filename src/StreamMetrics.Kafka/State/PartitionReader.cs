using System.Runtime.CompilerServices;
using Confluent.Kafka;
using StreamMetrics.Kafka.Logging;

namespace StreamMetrics.Kafka.State;

/// <summary>Reads one partition from its start up to an offset, outside any group: how state is rebuilt from a topic.</summary>
public static class PartitionReader
{
    // A start that moves on while a reader is behind it once is a race with retention; every time is a broker to look at.
    private const int MaxRestarts = 3;

    /// <summary>
    /// Hands every record before <paramref name="until"/> (the end offset when null) to <paramref name="onRecord"/>. When
    /// records are removed from the partition's start while the reader is behind them, it calls <paramref name="onRestart"/>
    /// (drop what was gathered) and reads again from the new start, so that what it hands over is the partition as it
    /// is, never a part of it.
    /// </summary>
    public static PartitionRead Read(KafkaClientSettings kafka, string topic, int partition, long? until, TimeSpan timeout,
        Action<ConsumeResult<byte[]?, byte[]?>> onRecord, Action onRestart)
    {
        var config = kafka.Consumer("streammetrics-restore", partitionEof: true);
        // librdkafka's answer to a position no longer in the log is to jump to the end, past every record after it.
        config.AutoOffsetReset = AutoOffsetReset.Error;
        var target = new TopicPartition(topic, partition);
        var deadline = DateTime.UtcNow + timeout;
        for (var restarts = 0; ; restarts++)
        {
            // Assigned, never subscribed: this consumer joins no group and commits nothing. A consumer of its own each time,
            // since librdkafka may have queued a second error for the position that left the log before the first was read.
            using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).WithOurLog(kafka.BootstrapServers).Build();
            try
            {
                return new PartitionRead(ReadOnce(consumer, target, until, timeout, deadline, onRecord), restarts);
            }
            catch (ConsumeException e) when (e.Error.Code is ErrorCode.Local_AutoOffsetReset or ErrorCode.Local_LogTruncation)
            {
                if (restarts == MaxRestarts)
                    throw new KafkaException(new Error(e.Error.Code, $"reading partition {partition} of '{topic}': records left the partition's start {MaxRestarts + 1} times while it was read ({e.Error.Reason})"));
                onRestart();
            }
        }
    }

    // A restore runs this for every record or state, once a process: optimised from the first call, not quick-compiled first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long ReadOnce(IConsumer<byte[]?, byte[]?> consumer, TopicPartition target, long? until, TimeSpan timeout, DateTime deadline,
        Action<ConsumeResult<byte[]?, byte[]?>> onRecord)
    {
        var offsets = consumer.QueryWatermarkOffsets(target, timeout);
        var end = Math.Min(until ?? offsets.High.Value, offsets.High.Value);
        if (end <= offsets.Low.Value) return 0;

        consumer.Assign(new TopicPartitionOffset(target, Offset.Beginning));
        long read = 0;
        while (true)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null || result.IsPartitionEOF)
            {
                if (result?.IsPartitionEOF == true && result.Offset.Value >= end) return read;
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"reading partition {target.Partition.Value} of '{target.Topic}' did not reach offset {end} within {timeout}");
                continue;
            }
            if (result.Offset.Value >= end) return read;
            read++;
            onRecord(result);
            if (result.Offset.Value + 1 >= end) return read;
        }
    }
}

/// <summary>How many records a read handed over, and how many times it started over because the partition's start moved past it.</summary>
public readonly record struct PartitionRead(long Records, int Restarts);
