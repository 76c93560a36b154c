using System.Runtime.ExceptionServices;
using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Orders;
using StreamMetrics.Core.Time;
using StreamMetrics.Influx.LineProtocol;
using StreamMetrics.Kafka;
using StreamMetrics.Kafka.Producers;
using StreamMetrics.Kafka.Source;
using StreamMetrics.Kafka.State;
using StreamMetrics.Worker.Actors;
using StreamMetrics.Worker.Actors.Messages;
using StreamMetrics.Worker.Options;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>
/// The worker's topology: Kafka's events → a task per partition (<see cref="PartitionTask"/>): its actor → points and
/// dead letters → commit.
/// </summary>
/// <remarks>
/// One stream reads the Kafka source, wall-clock ticks and the pipeline's own requests, and routes each to the tasks it
/// concerns: an assignment starts tasks (claim, restore), a batch goes to its partition's task, a tick punctuates every
/// task and every commit interval has each commit, a revoke suspends tasks after their last commit. Each partition
/// evaluates its periods with models it fits on its own customers, so nothing here depends on when a fit finishes.
/// A bounded run ends when <see cref="CatchUpWatcher"/> finds every assigned partition read to its end: every task
/// emits its windows, <see cref="FinalSnapshot"/> fits the whole population, every task evaluates its customers under
/// that fit and commits.
/// </remarks>
public sealed class OrderPipeline(
    ActorSystem system,
    KafkaOptions kafka,
    MetricsOptions metrics,
    ChurnModelChoice churnModel,
    DemandOptions demand,
    bool writeCustomerSeries,
    IPointSink sink,
    DeadLetterProducer deadLetters,
    TopicProducer alerts,
    TopicProducer demandPartials,
    ChangelogWriter changelog,
    PopulationExchange population,
    ProfileFeed profiles,
    PipelineStats stats,
    ILogger<OrderPipeline> log,
    TimeProvider time,
    TimeSpan stallTimeout)
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    private readonly FinalSnapshot _final = new(population, metrics, churnModel, demand, log, time);
    private OwnedPartitions _partitions = null!; // set once the Kafka source it commits to is running
    private IReadOnlyCollection<int> _partitionsWithData = [];
    private DateTimeOffset _lastCheckpoint = DateTimeOffset.MinValue;
    private volatile ISourceQueueWithComplete<PipelineInput>? _requests;
    private volatile bool _stopping;
    private bool _drained;

    /// <summary>Runs until <paramref name="stopping"/> fires or, for a bounded run, until the end offsets seen at start are read; then drains and commits.</summary>
    /// <returns>True when everything read was written out and committed; false when the stop ran out of time.</returns>
    public async Task<bool> RunAsync(PipelineRun run, CancellationToken stopping)
    {
        var materializer = system.Materializer();
        var settings = new KafkaSourceSettings(kafka.ClientSettings, kafka.Topic, kafka.GroupId)
        {
            MaxBufferedPerPartition = kafka.MaxBufferedPerPartition,
            MaxBufferedBytesPerPartition = kafka.MaxBufferedBytesPerPartition,
            MaxBatchSize = kafka.MaxBatchSize,
            CommitInterval = kafka.CommitInterval,
            BeforeRevoke = CheckpointBeforeRevokeAsync,
            RevokeTimeout = kafka.RevokeTimeout,
        };
        var state = await InternalTopic.EnsureAsync(kafka.ClientSettings, kafka.StateTopicName, kafka.Topic, compacted: true, TimeSpan.FromSeconds(30));
        if (state.CleanupPolicyUnchecked is { } why)
            log.LogInformation("Could not check that state topic {Topic} is compacted ({Reason}); it must be, or the broker deletes customer states past its retention", kafka.StateTopicName, why);
        var demandPartitions = (await InternalTopic.EnsureAsync(kafka.ClientSettings, kafka.DemandTopicName, kafka.Topic, compacted: false, TimeSpan.FromSeconds(30))).Partitions;
        var catchUp = run.UntilCaughtUp ? await CatchUpWatcher.StartAsync(kafka, log, time) : null;
        _partitionsWithData = catchUp?.PartitionsWithData ?? [];
        await profiles.LoadAsync();

        var (control, records) = KafkaSource.Create(settings, log).PreMaterialize(materializer);
        var outputs = new OutputWriter(sink, deadLetters, alerts, demandPartials, demandPartitions, writeCustomerSeries, stats, log, time);
        var decoder = new RecordDecoder(new OrderValidationOptions { RequiredCurrency = metrics.Currency }, metrics.MaxFutureSkew, new PeriodWindows(metrics.Period));
        _partitions = new OwnedPartitions(system,
            partition => PartitionActor.Props(partition, metrics, demand, churnModel, profiles: profiles.Table),
            new PartitionTask.Services(materializer, decoder, outputs, changelog, control, new StallGuard(stallTimeout, time), stats, time),
            kafka, log);
        var ticks = Source.Tick(TickInterval, TickInterval, NotUsed.Instance)
            .Select(PipelineInput (_) => new PipelineInput.Tick(time.GetUtcNow()))
            .MapMaterializedValue(_ => NotUsed.Instance);
        var ((requests, routing), completion) = records
            .Select(PipelineInput (e) => new PipelineInput.FromKafka(e))
            .Merge(ticks)
            .MergeMaterialized(Source.Queue<PipelineInput>(16, OverflowStrategy.Backpressure), Keep.Right)
            .ViaMaterialized(KillSwitches.Single<PipelineInput>(), Keep.Both)
            .SelectAsync(1, async input => { await RouteAsync(input, catchUp); return NotUsed.Instance; })
            .ToMaterialized(Sink.Ignore<NotUsed>(), Keep.Both)
            .Run(materializer);
        _requests = requests;
        // A failed task fails the whole stream, as a failed stage of it would: the Kafka source stops reading.
        _ = _partitions.Failed.ContinueWith(failed => routing.Abort(failed.Result), TaskScheduler.Default);

        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var catchUpFailed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (catchUp is not null) _ = DrainWhenCaughtUpAsync(catchUp, control, requests, run.EndTime, drained, catchUpFailed, stopping);

        var finished = await Task.WhenAny(drained.Task, completion, _partitions.Failed, catchUpFailed.Task, Task.Delay(Timeout.Infinite, stopping));
        if (finished == completion) await completion; // the stream failed: surface why
        if (finished == _partitions.Failed) ExceptionDispatchInfo.Throw(_partitions.Failed.Result);
        // Without its watcher a bounded run cannot know when it is done: it stops as if asked to, then fails.
        var catchUpFailure = catchUpFailed.Task.IsCompleted ? catchUpFailed.Task.Result : null;
        if (!drained.Task.IsCompleted)
        {
            log.LogInformation("Stopping: writing out what was read, then committing");
            // A stream that failed meanwhile takes no request; its failure is the run's.
            await Task.WhenAny(requests.OfferAsync(new PipelineInput.Drain(run.EmitAllOnStop, run.EndTime, drained)), completion);
        }
        var complete = await Within(Task.WhenAny(drained.Task, completion, _partitions.Failed), run.ShutdownTimeout, "write out what was read");
        // Leaving the group revokes every partition; the drain has committed them already. Not before: a rebalance during
        // the drain still suspends its partitions after their last commit, or the next owner would apply their orders again.
        _stopping = true;
        complete &= await Within(control.CommitNowAsync(), run.ShutdownTimeout, "commit");
        complete &= await Within(control.StopAsync(), run.ShutdownTimeout, "leave the group");
        requests.Complete();
        log.LogInformation(
            "Stopped after {Records} records: {Applied} orders applied, {AlreadyApplied} already applied before a restore (skipped), {Duplicates} duplicates, {Late} late, {DemandTooLate} too late for demand, {DeadLetters} dead-lettered, {Windows} windows emitted, {Points} points acknowledged, {Refused} points refused by InfluxDB (dead-lettered), {Restored} states restored, {Written} states written, {Forgotten} customers past Metrics:CustomerRetention forgotten, {DemandPartials} demand partials sent",
            stats.RecordsRead, stats.OrdersApplied, stats.AlreadyApplied, stats.Duplicates, stats.LateOrders, stats.DemandTooLate, stats.DeadLetters, stats.WindowsEmitted, sink.AckedPoints, sink.RefusedPoints,
            stats.StatesRestored, stats.StatesWritten, stats.ForgottenCustomers, stats.DemandPartials);
        if (catchUpFailure is not null) throw new StageFailedException("catching up", catchUpFailure);
        if (_partitions.Failed.IsCompleted) ExceptionDispatchInfo.Throw(_partitions.Failed.Result);
        if (completion.IsFaulted) await completion;
        if (drained.Task.IsFaulted) await drained.Task;
        return complete;
    }

    /// <summary>Waits for one step of a stop; nothing is lost when it runs out of time, since what was not committed is read again.</summary>
    private async Task<bool> Within(Task step, TimeSpan timeout, string what)
    {
        try
        {
            await step.WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            log.LogError("Could not {What} within ShutdownTimeout {Timeout}; records not committed will be read again by the next run", what, timeout);
            return false;
        }
    }

    /// <summary>Offers the drain that ends a bounded run once it has caught up; what stops it from finding out completes <paramref name="failed"/>.</summary>
    private async Task DrainWhenCaughtUpAsync(CatchUpWatcher watcher, IKafkaSourceControl control, ISourceQueueWithComplete<PipelineInput> requests,
        DateTimeOffset? endTime, TaskCompletionSource drained, TaskCompletionSource<Exception> failed, CancellationToken stopping)
    {
        try
        {
            var caughtUp = await watcher.WaitAsync(control, stopping);
            if (caughtUp.Count == 0) return; // stopped first: RunAsync drains what was read
            log.LogInformation("Caught up on partitions {Partitions}: emitting every window, then committing", string.Join(",", caughtUp.Order()));
            await requests.OfferAsync(new PipelineInput.Drain(true, endTime, drained));
        }
        catch (Exception e)
        {
            // Kafka gone while asking for the committed offsets, say: RunAsync stops the run and fails it.
            failed.TrySetResult(e);
        }
    }

    /// <summary>Hands an input to the tasks it concerns, in the order the inputs came.</summary>
    private async Task RouteAsync(PipelineInput input, CatchUpWatcher? catchUp)
    {
        switch (input)
        {
            case PipelineInput.FromKafka { Event: PartitionsAssigned assigned }:
                if (assigned.Partitions.Count > 0) stats.AddRebalance();
                log.LogInformation("Partitions {Partitions} assigned", string.Join(",", assigned.Partitions));
                await _partitions.AssignAsync(assigned.Partitions);
                break;
            case PipelineInput.FromKafka { Event: PartitionsRevoked revoked }:
                // A revoked partition's task was suspended after its last commit, before this event; a lost one's outputs still on their way are dropped.
                _partitions.Forget(revoked.Partitions);
                catchUp?.Forget(revoked.Partitions);
                log.LogInformation("Partitions {Partitions} {How}", string.Join(",", revoked.Partitions), revoked.Lost ? "lost" : "revoked");
                break;
            case PipelineInput.FromKafka { Event: RecordBatch batch }:
                catchUp?.Reached(batch.Partition, batch.Records[^1].Offset + 1);
                // After the last commit of a drain, nothing more is applied: it would be neither written out nor committed.
                if (_drained || !_partitions.TryGet(batch.Partition, out var task))
                {
                    batch.Release();
                    break;
                }
                stats.AddRead(batch.Records.Count);
                await task.ProcessAsync(batch);
                break;
            case PipelineInput.Tick when _drained:
                // The drain's commands are the partitions' last: a tick after them would evaluate and emit again.
                break;
            case PipelineInput.Tick tick:
                profiles.Refresh();
                var commit = tick.Now - _lastCheckpoint >= kafka.CommitInterval;
                if (commit) _lastCheckpoint = tick.Now;
                foreach (var owned in _partitions.All) await owned.PunctuateAsync(tick.Now, commit);
                break;
            case PipelineInput.Drain drain:
                _drained = true;
                // In the background: a revoke meanwhile (another worker joining) must not wait behind the fit of the whole population.
                _ = SignalAsync(drain.Done, drain.EmitAll ? FinishAsync(drain.EndTime) : Flushed(CommitAllAsync(_partitions.All)));
                break;
            case PipelineInput.CheckpointPartitions request:
                _ = SignalAsync(request.Done, await _partitions.ReleaseAsync(request.Partitions));
                break;
        }
    }

    /// <summary>The end of a bounded run: every window out, one fit of the whole population, every customer evaluated under it, every partition committed.</summary>
    /// <returns>Completes once every partition has committed and every point is acknowledged.</returns>
    private async Task FinishAsync(DateTimeOffset? endTime)
    {
        var tasks = _partitions.All;
        await Task.WhenAll(await Task.WhenAll(tasks.Select(task => task.EmitAllWindowsAsync(endTime))));
        var (model, points) = await _final.FitAsync(tasks, _partitionsWithData);
        if (model is not null) await Task.WhenAll(tasks.Select(task => task.EvaluateAsync(model)));
        var committed = CommitAllAsync(tasks);
        if (points.Count > 0) await await sink.SubmitAsync(points, CancellationToken.None);
        await Flushed(committed);
    }

    private static async Task CommitAllAsync(IReadOnlyList<PartitionTask> tasks) => await Task.WhenAll(await Task.WhenAll(tasks.Select(task => task.CommitAsync())));

    private async Task Flushed(Task work)
    {
        await work;
        await sink.FlushAsync(CancellationToken.None);
    }

    private static async Task SignalAsync(TaskCompletionSource done, Task work)
    {
        try
        {
            await work;
            done.TrySetResult();
        }
        catch (Exception e)
        {
            done.TrySetException(e);
        }
    }

    /// <summary>Called by the Kafka source before it releases revoked partitions: their tasks commit, then end.</summary>
    private async Task CheckpointBeforeRevokeAsync(IReadOnlyList<int> partitions)
    {
        if (_stopping || _requests is not { } requests) return;
        log.LogInformation("Partitions {Partitions} go to another worker once what was read of them is written out and committed", string.Join(",", partitions));
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await requests.OfferAsync(new PipelineInput.CheckpointPartitions(partitions, done));
        await done.Task;
    }
}
