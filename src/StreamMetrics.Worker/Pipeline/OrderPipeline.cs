using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Orders;
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
/// The worker's topology: Kafka records → partition actors → points and dead letters → commit.
/// </summary>
/// <remarks>
/// Three stages, each bounded: (1) decode and send each command to its partition actor without waiting
/// for the answer, so that partitions work at the same time (an actor answers its commands in the order
/// sent, and the answers are taken in stream order); each partition evaluates its periods with models it
/// fits on its own customers, so nothing here depends on when a fit finishes;
/// (2) write the answers out (<see cref="OutputWriter"/>): points to the sink, which waits while its buffer is full,
/// so the Kafka source pauses its partitions; (3) wait, in order, for points, dead letters and alerts to be acknowledged, then write a
/// checkpoint's states to the changelog, and only then commit its offset (DESIGN §5).
/// Ordering in stage 3 is what makes a commit never overtake an unacknowledged point or an unwritten state.
/// Alerts go out before the changelog: a crash between the two repeats an alert (with the same id)
/// rather than losing it. A bounded run ends when <see cref="CatchUpWatcher"/> finds every assigned partition read
/// to its end, and <see cref="FinalSnapshot"/> evaluates every customer under one fit of the whole population.
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
    // Enough for the partitions to work at the same time; each command in flight is one more batch a checkpoint or a closed window waits behind.
    private const int MaxCommandsInFlight = 4;

    private readonly OwnedPartitions _partitions = new(system,
        partition => PartitionActor.Props(partition, metrics, demand, churnModel, profiles: profiles.Table),
        changelog, kafka, stats, log, time, stallTimeout);
    private readonly RecordDecoder _decoder = new(new OrderValidationOptions { RequiredCurrency = metrics.Currency }, metrics.MaxFutureSkew);
    private readonly FinalSnapshot _final = new(population, metrics, churnModel, demand, log, time);
    private IReadOnlyCollection<int> _partitionsWithData = [];
    private DateTimeOffset _lastCheckpoint = DateTimeOffset.MinValue;
    private volatile ISourceQueueWithComplete<PipelineInput>? _commands;
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

        var outputs = new OutputWriter(sink, deadLetters, alerts, demandPartials, demandPartitions, writeCustomerSeries, stats, log, time);
        var (control, records) = KafkaSource.Create(settings, log).PreMaterialize(materializer);
        var ticks = Source.Tick(TickInterval, TickInterval, NotUsed.Instance)
            .Select(PipelineInput (_) => new PipelineInput.Tick(time.GetUtcNow()))
            .MapMaterializedValue(_ => NotUsed.Instance);
        var (commands, completion) = records
            .Select(PipelineInput (e) => new PipelineInput.FromKafka(e))
            .Merge(ticks)
            .MergeMaterialized(Source.Queue<PipelineInput>(16, OverflowStrategy.Backpressure), Keep.Right)
            .SelectAsync(1, async input => await SendAsync(input, catchUp) with { SentAt = time.GetTimestamp() })
            .SelectAsync(MaxCommandsInFlight, async sent => { await sent.Outputs; return sent; })
            .SelectAsync(1, CompleteAsync)
            .SelectAsync(1, step => outputs.WriteAsync(step.Outputs, step.SentAt, step.Points, step.DrainDone))
            .SelectMany(pending => pending)
            .SelectAsync(256, async pending => { await pending.Written; return pending; })
            .SelectAsync(1, async pending =>
            {
                if (!_partitions.OwnsStill(pending)) return pending;
                await changelog.WriteAsync(pending.Partition, pending.OwnerEpoch, pending.States);
                stats.AddWritten(pending.States.Count);
                return pending;
            })
            .ToMaterialized(Sink.ForEach<PendingCommit>(pending =>
            {
                if (pending.Offset is { } offset && _partitions.OwnsStill(pending)) control.Commit(pending.Partition, offset);
                if (pending.CheckpointSentAt is { } sentAt) stats.CheckpointTaken?.Invoke(time.GetElapsedTime(sentAt));
                pending.Marker?.TrySetResult();
            }), Keep.Both)
            .Run(materializer);
        _commands = commands;

        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var catchUpFailed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (catchUp is not null) _ = DrainWhenCaughtUpAsync(catchUp, control, commands, run.EndTime, drained, catchUpFailed, stopping);

        var finished = await Task.WhenAny(drained.Task, completion, catchUpFailed.Task, Task.Delay(Timeout.Infinite, stopping));
        if (finished == completion) await completion; // the stream failed: surface why
        // Without its watcher a bounded run cannot know when it is done: it stops as if asked to, then fails.
        var catchUpFailure = catchUpFailed.Task.IsCompleted ? catchUpFailed.Task.Result : null;
        if (!drained.Task.IsCompleted)
        {
            log.LogInformation("Stopping: writing out what was read, then committing");
            await commands.OfferAsync(new PipelineInput.Drain(run.EmitAllOnStop, run.EndTime, drained));
        }
        _stopping = true; // leaving the group revokes every partition; the drain has checkpointed them already
        var complete = await Within(drained.Task, run.ShutdownTimeout, "write out what was read");
        complete &= await Within(control.CommitNowAsync(), run.ShutdownTimeout, "commit");
        complete &= await Within(control.StopAsync(), run.ShutdownTimeout, "leave the group");
        commands.Complete();
        log.LogInformation(
            "Stopped after {Records} records: {Applied} orders applied, {AlreadyApplied} already applied before a restore (skipped), {Duplicates} duplicates, {Late} late, {DemandTooLate} too late for demand, {DeadLetters} dead-lettered, {Windows} windows emitted, {Points} points acknowledged, {Refused} points refused by InfluxDB (dead-lettered), {Restored} states restored, {Written} states written, {Forgotten} customers past Metrics:CustomerRetention forgotten, {DemandPartials} demand partials sent",
            stats.RecordsRead, stats.OrdersApplied, stats.AlreadyApplied, stats.Duplicates, stats.LateOrders, stats.DemandTooLate, stats.DeadLetters, stats.WindowsEmitted, sink.AckedPoints, sink.RefusedPoints,
            stats.StatesRestored, stats.StatesWritten, stats.ForgottenCustomers, stats.DemandPartials);
        if (catchUpFailure is not null) throw new StageFailedException("catching up", catchUpFailure);
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
    private async Task DrainWhenCaughtUpAsync(CatchUpWatcher watcher, IKafkaSourceControl control, ISourceQueueWithComplete<PipelineInput> commands,
        DateTimeOffset? endTime, TaskCompletionSource drained, TaskCompletionSource<Exception> failed, CancellationToken stopping)
    {
        try
        {
            var caughtUp = await watcher.WaitAsync(control, stopping);
            if (caughtUp.Count == 0) return; // stopped first: RunAsync drains what was read
            log.LogInformation("Caught up on partitions {Partitions}: emitting every window, then committing", string.Join(",", caughtUp.Order()));
            await commands.OfferAsync(new PipelineInput.Drain(true, endTime, drained));
        }
        catch (Exception e)
        {
            // Kafka gone while asking for the committed offsets, say: RunAsync stops the run and fails it.
            failed.TrySetResult(e);
        }
    }

    /// <summary>Sends the commands an input asks for; the answers are awaited by the next stage.</summary>
    private async Task<Sent> SendAsync(PipelineInput input, CatchUpWatcher? catchUp)
    {
        switch (input)
        {
            case PipelineInput.FromKafka { Event: PartitionsAssigned assigned }:
                if (assigned.Partitions.Count > 0) stats.AddRebalance();
                log.LogInformation("Partitions {Partitions} assigned", string.Join(",", assigned.Partitions));
                await _partitions.AssignAsync(assigned.Partitions);
                return Sent.Nothing;
            case PipelineInput.FromKafka { Event: PartitionsRevoked revoked }:
                // A revoked partition's last checkpoint went through before this event; a lost one's outputs still on their way are dropped.
                _partitions.Forget(revoked.Partitions);
                log.LogInformation("Partitions {Partitions} {How}", string.Join(",", revoked.Partitions), revoked.Lost ? "lost" : "revoked");
                return Sent.Nothing;
            case PipelineInput.FromKafka { Event: RecordBatch batch }:
                return new Sent(ProcessAsync(batch, catchUp));
            case PipelineInput.Tick when _drained:
                // The drain's commands are the partitions' last: a tick after them would evaluate and emit again,
                // ahead of the final evaluation still to be sent.
                return Sent.Nothing;
            case PipelineInput.Tick tick:
                profiles.Refresh();
                var idle = _partitions.AskAllAsync(new AdvanceIdle(tick.Now));
                if (tick.Now - _lastCheckpoint < kafka.CommitInterval) return new Sent(idle);
                _lastCheckpoint = tick.Now;
                return new Sent(Both(idle, _partitions.AskAllAsync(new Checkpoint())));
            case PipelineInput.Drain { EmitAll: true } drain:
                _drained = true;
                return new Sent(_partitions.AskAllAsync(new EmitAllWindows(drain.EndTime)), drain.Done, Final: true);
            case PipelineInput.Drain drain:
                _drained = true;
                return new Sent(_partitions.AskAllAsync(new Checkpoint()), drain.Done);
            case PipelineInput.CheckpointPartitions request:
                return new Sent(_partitions.ReleaseAsync(request.Partitions), request.Done);
            default:
                return Sent.Nothing;
        }
    }

    /// <summary>At the end of a bounded run, fits the whole population and evaluates everyone under that fit.</summary>
    private async Task<Step> CompleteAsync(Sent sent)
    {
        var outputs = await sent.Outputs;
        if (!sent.Final) return new Step(outputs, sent.DrainDone) { SentAt = sent.SentAt };
        var (evaluated, points) = await _final.TakeAsync(_partitions, _partitionsWithData);
        return new Step([.. outputs, .. evaluated, .. await _partitions.AskAllAsync(new Checkpoint())], sent.DrainDone, points);
    }

    private static async Task<IReadOnlyList<PartitionStep>> Both(Task<IReadOnlyList<PartitionStep>> first, Task<IReadOnlyList<PartitionStep>> second) =>
        [.. await first, .. await second];

    /// <summary>Called by the Kafka source before it releases revoked partitions: their checkpoint goes through the pipeline like any other.</summary>
    private async Task CheckpointBeforeRevokeAsync(IReadOnlyList<int> partitions)
    {
        if (_stopping || _commands is not { } commands) return;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await commands.OfferAsync(new PipelineInput.CheckpointPartitions(partitions, done));
        await done.Task;
    }

    private async Task<IReadOnlyList<PartitionStep>> ProcessAsync(RecordBatch batch, CatchUpWatcher? catchUp)
    {
        catchUp?.Reached(batch.Partition, batch.Records[^1].Offset + 1);
        // After the last checkpoint of a drain, nothing more is applied: it would be neither written out nor committed.
        if (_drained || !_partitions.TryGet(batch.Partition, out var actor)) return [];
        stats.AddRead(batch.Records.Count);

        var decoded = _decoder.Decode(batch, time.GetUtcNow());
        var output = await _partitions.AskAsync(actor, decoded.Command);
        var letters = decoded.DeadLetters;
        if (output.Rejected.Count > 0)
        {
            var records = batch.Records.ToDictionary(r => r.Offset);
            letters = [.. letters, .. output.Rejected.Select(r => RecordDecoder.ToDeadLetter(batch.Topic, records[r.Offset], r.Reason))];
        }
        return [new PartitionStep(output, letters)];
    }

    /// <summary>Commands sent to the partitions, their answers still to come; <paramref name="Final"/> marks the drain that ends a bounded run.</summary>
    private sealed record Sent(Task<IReadOnlyList<PartitionStep>> Outputs, TaskCompletionSource? DrainDone = null, bool Final = false)
    {
        /// <summary>When the commands were sent (<see cref="TimeProvider.GetTimestamp"/>): windows they close count their latency from here.</summary>
        public long SentAt { get; init; }

        public static readonly Sent Nothing = new(Task.FromResult<IReadOnlyList<PartitionStep>>([]));
    }

    /// <summary>What stage 1 hands to stage 2: partition outputs, population points, and the completion of a drain that ends here.</summary>
    private sealed record Step(IReadOnlyList<PartitionStep> Outputs, TaskCompletionSource? DrainDone = null, IReadOnlyList<Point>? ExtraPoints = null)
    {
        public static readonly Step Nothing = new([]);

        /// <summary>When its commands were sent; null for the end of a bounded run, whose windows close because the run ends.</summary>
        public long? SentAt { get; init; }

        public IReadOnlyList<Point> Points => ExtraPoints ?? [];
    }
}
