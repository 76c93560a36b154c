using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Microsoft.Extensions.Logging;
using StreamMetrics.Core.Demand;
using StreamMetrics.Core.Forecasting;
using StreamMetrics.Core.Time;
using StreamMetrics.Influx.LineProtocol;
using StreamMetrics.Kafka.Producers;
using StreamMetrics.Kafka.Source;
using StreamMetrics.Kafka.State;
using StreamMetrics.Worker.Options;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>
/// The summing side of the demand repartition: reads the partials on the demand topic (group
/// <c>&lt;GroupId&gt;-demand</c>), sums each key's partials per period over the orders partitions, and
/// writes a <c>demand</c> point whenever a sum changes; an offset is committed once the points of the
/// records before it are acknowledged.
/// </summary>
/// <remarks>
/// A partial replaces the one before from the same source partition and period, so reading a record
/// twice changes nothing. That makes the topic its own changelog, as Kafka Streams does with source
/// topics: a newly assigned partition rebuilds its sums from the records before its committed offset.
/// </remarks>
public sealed class DemandSumPipeline(ActorSystem system, KafkaOptions kafka, DemandOptions demand, TimeSpan orderIdRetention, IPointSink sink,
    DeadLetterProducer deadLetters, TopicProducer demandAlerts, DemandTimeline timeline, ILogger<DemandSumPipeline> log)
{
    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(10);
    // Changed by the stream, read by the summary at the end of a run: a rebalance may still be under way then.
    private readonly ConcurrentDictionary<int, PartitionSums> _partitions = new();
    private readonly ConcurrentDictionary<int, long> _acknowledged = new();
    private int _sourcePartitions;
    private readonly PeriodWindows _periods = new(demand.Period);
    private readonly DemandHandOver _handOver = new();

    /// <summary>
    /// Runs until <paramref name="stopping"/> fires or, for a bounded run, until <paramref name="ordersDone"/>
    /// has completed and the group has committed every partition up to the end offsets seen then.
    /// </summary>
    public async Task RunAsync(PipelineRun run, Task ordersDone, CancellationToken stopping)
    {
        var settings = new KafkaSourceSettings(kafka.ClientSettings, kafka.DemandTopicName, kafka.DemandGroupId)
        {
            MaxBufferedPerPartition = kafka.MaxBufferedPerPartition,
            MaxBatchSize = kafka.MaxBatchSize,
            CommitInterval = kafka.CommitInterval,
            BeforeRevoke = partitions =>
            {
                log.LogInformation("Demand partitions {Partitions} go to another worker once the points written for them are acknowledged", string.Join(",", partitions));
                return _handOver.LeaveAsync(partitions);
            },
            RevokeTimeout = kafka.RevokeTimeout,
        };
        _sourcePartitions = (await Task.Run(() => KafkaTopicInfo.EndOffsets(kafka.ClientSettings, kafka.Topic, TimeSpan.FromSeconds(30)))).Count;
        var (control, records) = KafkaSource.Create(settings, log).PreMaterialize(system.Materializer());
        var completion = records
            .Select(Handle)
            .SelectAsync(1, async step =>
            {
                var acknowledged = step.Points.Count > 0 ? await sink.SubmitAsync(step.Points, CancellationToken.None) : Task.CompletedTask;
                var alerted = await demandAlerts.EnqueueAllAsync([.. step.Alerts.Select(alert => (alert.Key.ToString(), alert.ToJson()))]);
                return new PendingCommit(step.Partition, step.NextOffset, Task.WhenAll([acknowledged, alerted, .. step.DeadLetters.Select(deadLetters.SendAsync)]),
                    step.Committed);
            })
            .SelectAsync(256, async pending => { await pending.Written; return pending; })
            .RunWith(Sink.ForEach<PendingCommit>(pending =>
            {
                if (pending.Offset is { } offset)
                {
                    control.Commit(pending.Partition, offset);
                    _acknowledged[pending.Partition] = offset;
                }
                pending.Marker?.TrySetResult();
            }), system.Materializer());
        _ = completion.ContinueWith(_ => _handOver.Ended(), TaskScheduler.Default);

        try
        {
            if (run.UntilCaughtUp) await Task.WhenAny(CaughtUpAfterAsync(ordersDone, stopping), completion);
            else await Task.WhenAny(Task.Delay(Timeout.Infinite, stopping), completion);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // a stop before catching up: what was not committed is read again next time
        }
        if (completion.IsFaulted) await completion; // the stream failed: surface why
        await Task.WhenAny(_handOver.StopAsync(), completion).WaitAsync(run.ShutdownTimeout);
        await control.CommitNowAsync().WaitAsync(run.ShutdownTimeout);
        await control.StopAsync().WaitAsync(run.ShutdownTimeout);
        foreach (var (partition, sums) in _partitions)
            log.LogInformation("Demand partition {Partition}: {Sums} sums, {Late} changes arrived after their day was judged", partition, sums.Totals.Count, sums.Days.LateChanges);
    }

    /// <summary>
    /// Once the orders are done, waits until every demand partition is written out up to its end offset as it
    /// was then: here, for the partitions this worker owns (committed next by the caller), or by the group.
    /// </summary>
    private async Task CaughtUpAfterAsync(Task ordersDone, CancellationToken stopping)
    {
        await ordersDone.WaitAsync(stopping);
        var ends = await Task.Run(() => KafkaTopicInfo.EndOffsets(kafka.ClientSettings, kafka.DemandTopicName, TimeSpan.FromSeconds(30)), stopping);
        for (var poll = 0; ; poll++)
        {
            var behind = ends.Where(end => end.Value > 0 && _acknowledged.GetValueOrDefault(end.Key, 0) < end.Value).Select(end => end.Key).ToList();
            if (behind.Count == 0) return;
            // Asking the group is slower: only every tenth poll, for partitions another worker may own.
            if (poll % 10 == 9)
            {
                var committed = await Task.Run(() => KafkaTopicInfo.CommittedOrStart(kafka.ClientSettings, kafka.DemandTopicName, kafka.DemandGroupId, behind, TimeSpan.FromSeconds(10)), stopping);
                if (behind.All(partition => committed[partition] >= ends[partition])) return;
            }
            await Task.Delay(20, stopping);
        }
    }

    private Step Handle(SourceEvent input)
    {
        switch (input)
        {
            case PartitionsAssigned assigned:
                foreach (var partition in assigned.Partitions) _partitions[partition] = Restore(partition);
                _handOver.Assigned(assigned.Partitions);
                return Step.Nothing;
            case PartitionsRevoked revoked:
                foreach (var partition in revoked.Partitions)
                {
                    _partitions.TryRemove(partition, out _);
                    timeline.Forget(partition);
                }
                return Step.Nothing;
            case RecordBatch batch when _partitions.TryGetValue(batch.Partition, out var sums) && _handOver.TryStart(batch.Partition, out var committed):
                var step = new Step(batch.Partition, batch.Records[^1].Offset + 1, [], [], [], committed);
                foreach (var record in batch.Records)
                {
                    try
                    {
                        Apply(sums, record.Key.Span, record.Value.Span, step);
                    }
                    catch (InvalidDataException e)
                    {
                        step.DeadLetters.Add(RecordDecoder.ToDeadLetter(batch.Topic, record, e.Message));
                    }
                }
                batch.Release();
                return step;
            default:
                (input as RecordBatch)?.Release();
                return Step.Nothing;
        }
    }

    /// <summary>Takes one record in: a partial changes a sum and its point; a watermark may close days, with alerts and forecasts.</summary>
    private void Apply(PartitionSums sums, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, Step? step)
    {
        if (DemandWatermark.Is(value))
        {
            var closed = sums.Days.Observe(DemandWatermark.Decode(value));
            // Sums no partial can change any more are dropped, so that memory follows the retention, not the history.
            if (sums.Days.FirstOpenPeriod is { } firstOpen) sums.Totals.ForgetFinal(firstOpen, _periods, orderIdRetention);
            if (closed is null) return;
            foreach (var made in closed.Forecasts) timeline.Record(sums.Partition, made);
            if (step is null) return;
            step.Alerts.AddRange(closed.Alerts);
            foreach (var made in closed.Forecasts)
                step.Points.AddRange(made.Forecasts.Select(forecast => DemandPoints.From(made.Key, made.FirstDay, forecast)));
            return;
        }
        var partial = DemandPartial.Decode(key, value);
        if (sums.Totals.Apply(partial) is not { } change) return;
        sums.Days.Add(partial.Key, partial.Period, change.Total.Units - change.Previous.Units);
        step?.Points.Add(DemandPoints.From(partial.Key, _periods.StartOf(partial.Period), change.Total));
    }

    /// <summary>Replays the records before the group's committed offset: their points and alerts went out before that commit.</summary>
    private PartitionSums Restore(int partition)
    {
        var committed = KafkaTopicInfo.CommittedOrStart(kafka.ClientSettings, kafka.DemandTopicName, kafka.DemandGroupId, [partition], TimeSpan.FromSeconds(30))[partition];
        PartitionSums Empty() => new(partition, new DemandTotals(), new DemandDays(_sourcePartitions, _periods, demand.ForecastLevelSet, demand.ForecastHorizon));
        var sums = Empty();
        var read = PartitionReader.Read(kafka.ClientSettings, kafka.DemandTopicName, partition, committed, RestoreTimeout, record =>
        {
            try
            {
                Apply(sums, record.Message.Key, record.Message.Value, step: null);
            }
            catch (InvalidDataException)
            {
                // dead-lettered when it was first read
            }
        }, onRestart: () => sums = Empty());
        if (read.Restarts > 0)
            log.LogWarning("Demand partition {Partition}: records left the start of '{Topic}' while it was read; read again from the new start {Restarts} time(s)", partition, kafka.DemandTopicName, read.Restarts);
        log.LogInformation("Demand partition {Partition} restored {Sums} sums from {Records} records before offset {Committed}", partition, sums.Totals.Count, read.Records, committed);
        return sums;
    }

    private sealed record PartitionSums(int Partition, DemandTotals Totals, DemandDays Days);

    private sealed record Step(int Partition, long? NextOffset, List<Point> Points, List<DeadLetter> DeadLetters, List<DemandAlert> Alerts,
        TaskCompletionSource? Committed = null)
    {
        public static readonly Step Nothing = new(-1, null, [], [], []);
    }
}
