using System.Globalization;
using Microsoft.Extensions.Logging;
using StreamMetrics.Influx.LineProtocol;
using StreamMetrics.Influx.Writing;
using StreamMetrics.Worker.Pipeline;

namespace StreamMetrics.Worker.Observability;

/// <summary>
/// Every <c>Metrics:ReportInterval</c>, writes one <c>pipeline</c> point per partition this worker owns
/// (DESIGN §4): lag in records and seconds, orders applied per second, late orders and dead letters so
/// far, live and passivated customers — the figures of <c>/metrics</c>, for dashboards on InfluxDB. The
/// worker's own figures (recommended workers, InfluxDB buffered and rejected points) ride on each point.
/// </summary>
public sealed class PipelineReporter(WorkerMetrics metrics, PipelineStats stats, InfluxWriterCounters influx, IPointSink sink, TimeSpan interval,
    TimeProvider time, ILogger log)
{
    private readonly string _worker = Environment.MachineName;
    private readonly Dictionary<int, long> _appliedBefore = new();
    private DateTimeOffset? _before;

    public async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    await metrics.UpdateAsync(stopping);
                    var points = Points(time.GetUtcNow());
                    if (points.Count > 0) await sink.SubmitAsync(points, stopping);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning("Could not report the pipeline's figures this time: {Reason}", e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // stopped with the worker
        }
    }

    /// <summary>
    /// The last report, once the worker has committed and left the group: a fresh lag for the partitions it
    /// reported on, so that the last <c>pipeline</c> point of a bounded run shows what it left behind.
    /// </summary>
    public async Task ReportLastAsync(CancellationToken cancellation)
    {
        try
        {
            await metrics.UpdateNowAsync(cancellation);
            var points = Points(time.GetUtcNow(), [.. _appliedBefore.Keys]);
            if (points.Count > 0) await await sink.SubmitAsync(points, cancellation);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            log.LogWarning("Could not write the last pipeline report within ShutdownTimeout: {Reason}", e.Message);
        }
    }

    private List<Point> Points(DateTimeOffset now, IReadOnlyCollection<int>? partitions = null)
    {
        var lag = metrics.LastLag?.Partitions.ToDictionary(p => p.Partition);
        var orders = stats.OrdersByPartition;
        var customers = stats.CustomersByPartition;
        var seconds = _before is { } before ? (now - before).TotalSeconds : 0;
        var points = new List<Point>();
        foreach (var partition in partitions ?? stats.AssignedPartitions)
        {
            var applied = orders.GetValueOrDefault((partition, "applied"));
            var rate = seconds > 0 ? (applied - _appliedBefore.GetValueOrDefault(partition, applied)) / seconds : 0;
            _appliedBefore[partition] = applied;
            var (all, passivated) = customers.GetValueOrDefault(partition);
            var partitionLag = lag?.GetValueOrDefault(partition);
            points.Add(new Point("pipeline",
                [new("worker", _worker), new("partition", partition.ToString(CultureInfo.InvariantCulture))],
                [
                    new("lag", FieldValue.Integer(partitionLag?.Lag ?? 0)),
                    new("lag_seconds", FieldValue.Float(partitionLag?.LagSeconds ?? 0)),
                    new("orders_per_s", FieldValue.Float(rate)),
                    new("late_orders", FieldValue.Integer(orders.GetValueOrDefault((partition, "late")))),
                    new("dead_letters", FieldValue.Integer(orders.GetValueOrDefault((partition, "dead_lettered")))),
                    new("customers_live", FieldValue.Integer(all - passivated)),
                    new("customers_passivated", FieldValue.Integer(passivated)),
                    new("recommended_replicas", FieldValue.Integer(metrics.LastRecommendation?.Replicas ?? 0)),
                    new("influx_buffered_points", FieldValue.Integer(influx.Buffered)),
                    new("influx_rejected_points", FieldValue.Integer(influx.Rejected)),
                ],
                now));
        }
        _before = now;
        return points;
    }
}
