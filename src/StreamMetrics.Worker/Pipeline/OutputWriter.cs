using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Demand;
using StreamMetrics.Influx.LineProtocol;
using StreamMetrics.Kafka.Producers;
using StreamMetrics.Worker.Actors.Messages;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>
/// The order pipeline's second stage: writes what the partitions answered to InfluxDB and Kafka, and says what each
/// answer's commit has to wait for.
/// </summary>
/// <param name="demandPartitions">The demand topic's partitions: a moved demand watermark goes to each.</param>
public sealed class OutputWriter(
    IPointSink sink,
    DeadLetterProducer deadLetters,
    TopicProducer alerts,
    TopicProducer demandPartials,
    int demandPartitions,
    bool writeCustomerSeries,
    PipelineStats stats,
    ILogger log,
    TimeProvider time)
{
    // Written by every partition's task, each under its own partition's key.
    private readonly ConcurrentDictionary<int, long> _sentDemandWatermarks = new();

    /// <summary>When a partition's demand watermark moves, every demand partition hears of it: records to send after the partials before it.</summary>
    private IEnumerable<(int Partition, byte[] Key, byte[] Value)> DemandWatermarks(PartitionOutput output)
    {
        if (output.DemandWatermark is not { } firstOpen || _sentDemandWatermarks.GetValueOrDefault(output.Partition, long.MinValue) >= firstOpen) return [];
        _sentDemandWatermarks[output.Partition] = firstOpen;
        var value = new DemandWatermark(output.Partition, firstOpen).EncodeValue();
        return Enumerable.Range(0, demandPartitions).Select(partition => (partition, Array.Empty<byte>(), value));
    }

    /// <summary>
    /// Hands one partition's outputs on: points to the sink (which waits while its buffer is full), dead letters, alerts
    /// and demand partials to Kafka. Returns, per output, what its commit waits for.
    /// </summary>
    public async Task<List<PendingCommit>> WriteAsync(IReadOnlyList<PartitionStep> outputs, long? sentAt)
    {
        var pending = new List<PendingCommit>(outputs.Count + 1);
        foreach (var (output, letters) in outputs)
        {
            stats.Add(output.Partition, output.Counts);
            stats.AddDeadLetters(output.Partition, letters.Count);
            stats.AddWindows(output.Windows.Count);
            stats.SetCustomers(output.Partition, output.Customers, output.PassivatedCustomers);
            stats.AddForgotten(output.ForgottenCustomers);
            if (output.Churn is { } churn) stats.Churn.Record(output.Partition, churn);
            if (output.Segments.Count > 0) stats.Segments.Record(output.Partition, output.Segments);
            var delivered = letters.Select(deadLetters.SendAsync).ToList();
            if (output.Events.Count > 0) delivered.Add(await alerts.EnqueueAllAsync([.. output.Events.Select(e => (e.CustomerId, CustomerEventJson.Serialize(e)))]));
            // The partials first, then the watermark that says their periods are complete: the order matters.
            (int, byte[], byte[])[] demand =
                [.. output.Demand.Select(partial => (partial.PartitionIn(demandPartitions), partial.EncodeKey(), partial.EncodeValue())), .. DemandWatermarks(output)];
            if (demand.Length > 0) delivered.Add(await demandPartials.EnqueueAllAsync(demand));
            stats.AddDemandPartials(output.Demand.Count);
            foreach (var letter in letters)
                log.LogWarning("Dead-lettered offset {Offset} of partition {Partition}: {Reason}", letter.SourceOffset, letter.SourcePartition, letter.Error);
            List<Point> points = writeCustomerSeries
                ? [.. output.Windows.Select(ActivityPoints.From), .. output.Metrics.Select(MetricsPoints.From), .. output.Events.Select(MetricsPoints.From)]
                : [];
            points.AddRange(output.Segments.Select(figures => MetricsPoints.From(figures, output.Partition)));
            points.AddRange(output.Fits.SelectMany(made => MetricsPoints.Models(made.Model, made.At, output.Partition)));
            var acknowledged = points.Count > 0 ? await sink.SubmitAsync(points, CancellationToken.None) : Task.CompletedTask;
            pending.Add(new PendingCommit(output.Partition, output.CommittableOffset, Task.WhenAll([acknowledged, .. delivered]))
            {
                States = output.States,
                CheckpointSentAt = output.CommittableOffset is null ? null : sentAt,
            });
            if (sentAt is { } sent && output.Windows.Count > 0)
                _ = acknowledged.ContinueWith(_ => stats.WindowToAck.Record(time.GetElapsedTime(sent), output.Windows.Count), TaskScheduler.Default);
        }
        return pending;
    }
}
