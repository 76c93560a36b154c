using System.Threading.Channels;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using StreamMetrics.Core.Customers;
using StreamMetrics.Kafka.Producers;
using StreamMetrics.Kafka.Source;
using StreamMetrics.Kafka.State;
using StreamMetrics.Worker.Actors.Messages;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>
/// One owned partition's task, in Kafka Streams' sense: a stream of its own drives the partition's actor through
/// its lifecycle (process a batch, punctuate, prepare a commit, commit, suspend on revoke, close), so partitions
/// progress apart from each other and a commit waits only for its own partition's outputs.
/// </summary>
/// <remarks>
/// The stream: input → decode (a batch may make several commands, see <see cref="RecordDecoder"/>) and send to the
/// actor → the answer → outputs written (<see cref="OutputWriter"/>) → acknowledged → states to the changelog → offset
/// committed. Each step keeps the order of the inputs, so a commit never overtakes an unacknowledged point or an
/// unwritten state of its partition (DESIGN §5). No answer within the stall timeout fails the task, and with it the
/// run, rather than go on without that answer's outputs.
/// </remarks>
public sealed class PartitionTask
{
    // Enough for the actor to have its next command while the last one's outputs are written; each one in flight is
    // one more batch a commit waits behind.
    private const int CommandsInFlight = 4;
    private const int InputBuffer = 4;
    private const int WritesInFlight = 256;

    private readonly int _partition;
    private readonly long _epoch; // the changelog epoch of this task's claim on the partition
    private readonly IActorRef _actor;
    private readonly Services _services;
    private readonly Channel<Input> _inputs = Channel.CreateBounded<Input>(new BoundedChannelOptions(InputBuffer) { SingleReader = true });
    private volatile bool _owned = true;
    private volatile bool _suspending;

    private PartitionTask(int partition, IActorRef actor, long epoch, Services services)
    {
        _partition = partition;
        _epoch = epoch;
        _actor = actor;
        _services = services;
        Completion = ChannelSource.FromReader(_inputs.Reader)
            .SelectMany(Send)
            .SelectAsync(CommandsInFlight, async sent =>
            {
                var steps = await sent.Steps;
                sent.Answered?.TrySetResult();
                return (sent, steps);
            })
            .SelectAsync(1, WriteOutputsAsync)
            .SelectMany(pending => pending)
            .SelectAsync(WritesInFlight, async pending => { await pending.Written; return pending; })
            .SelectAsync(1, WriteStatesAsync)
            .RunWith(Sink.ForEach<PendingCommit>(Commit), services.Materializer);
        // A stream that ended reads nothing more: whoever waits for room to hand it an input is let go. The actor stops
        // only now, after every command sent to it, so that none waits for an answer that cannot come.
        Completion.ContinueWith(_ =>
        {
            _inputs.Writer.TryComplete();
            actor.Tell(new StopPartition());
        }, TaskScheduler.Default);
    }

    /// <summary>What every task of one pipeline shares.</summary>
    public sealed record Services(
        IMaterializer Materializer,
        RecordDecoder Decoder,
        OutputWriter Outputs,
        ChangelogWriter Changelog,
        IKafkaSourceControl Source,
        StallGuard Stalls,
        PipelineStats Stats,
        TimeProvider Time);

    /// <summary>Starts the task of a partition whose actor has restored its state under the claim <paramref name="epoch"/>.</summary>
    public static PartitionTask Start(int partition, IActorRef actor, long epoch, Services services) => new(partition, actor, epoch, services);

    /// <summary>Completes when the task's stream ends; faults when a step of it failed.</summary>
    public Task Completion { get; }

    /// <summary>Applies a batch of the partition's records.</summary>
    public Task ProcessAsync(RecordBatch batch) => OfferAsync(new Input.Records(batch));

    /// <summary>Moves an idle partition's watermark, passivates idle customers; with <paramref name="commit"/>, commits after.</summary>
    public Task PunctuateAsync(DateTimeOffset now, bool commit) => OfferAsync(new Input.Punctuate(now, commit));

    /// <summary>Emits every open window (the end of a bounded run); the returned task completes once the partition has.</summary>
    public Task<Task> EmitAllWindowsAsync(DateTimeOffset? endTime) => OfferCommandAsync(new EmitAllWindows(endTime));

    /// <summary>Evaluates every customer under the whole population's model (the end of a bounded run).</summary>
    public Task<Task> EvaluateAsync(PopulationModel model) => OfferCommandAsync(new EvaluateCustomers(model));

    /// <summary>
    /// Prepares a commit (the changed states and the committable offset) and commits it: points acknowledged, then the
    /// changelog, then the offset. The returned task completes once the offset is committed.
    /// </summary>
    public async Task<Task> CommitAsync()
    {
        var committed = NewSignal();
        await OfferAsync(new Input.Command(new Checkpoint(), Committed: committed));
        return committed.Task;
    }

    /// <summary>The partition is being revoked: commits, then ends its stream and its actor. The returned task completes when both have.</summary>
    public async Task<Task> SuspendAsync()
    {
        // As Kafka Streams does on a revoke: records not yet handed to the actor are not applied (the next owner reads
        // them after this commit), so that the commit waits only for what is in flight, well within Kafka:RevokeTimeout.
        _suspending = true;
        var committed = await CommitAsync();
        _inputs.Writer.TryComplete();
        return Task.WhenAll(committed, Completion);
    }

    /// <summary>
    /// The partition was taken away (lost, or revoked without a commit): what is still on its way is neither applied,
    /// written to the changelog nor committed, and the stream and the actor end.
    /// </summary>
    public void Close()
    {
        _owned = false;
        _inputs.Writer.TryComplete();
    }

    /// <summary>Every customer's figures under the watermark, for the fit of the whole population.</summary>
    public Task<PartitionSummaries> SummarizeAsync() => AskAsync<PartitionSummaries>(new SummarizeCustomers());

    private async Task<Task> OfferCommandAsync(object command)
    {
        var answered = NewSignal();
        await OfferAsync(new Input.Command(command, answered));
        return answered.Task;
    }

    private async Task OfferAsync(Input input)
    {
        try
        {
            await _inputs.Writer.WriteAsync(input);
        }
        catch (ChannelClosedException)
        {
            // The task was suspended or closed, or its stream ended: nothing more is applied or committed here, which is
            // what anyone waiting for the input hears; how the stream ended reaches the pipeline through Completion.
            if (input is Input.Command command)
            {
                command.Answered?.TrySetResult();
                command.Committed?.TrySetResult();
            }
        }
    }

    private IEnumerable<Sent> Send(Input input) => input switch
    {
        Input.Command command when !_owned => [new Sent(NoSteps, null, command.Answered, command.Committed)],
        _ when !_owned => Skip(input),
        Input.Records or Input.Punctuate when _suspending => Skip(input),
        Input.Records records => Apply(records.Batch),
        Input.Punctuate { Commit: false } tick => [new Sent(AskStepsAsync(new AdvanceIdle(tick.Now)), _services.Time.GetTimestamp())],
        Input.Punctuate tick => [new Sent(Both(AskStepsAsync(new AdvanceIdle(tick.Now)), AskStepsAsync(new Checkpoint())), _services.Time.GetTimestamp())],
        Input.Command command => [new Sent(AskStepsAsync(command.Message), null, command.Answered, command.Committed)],
        _ => throw new ArgumentOutOfRangeException(nameof(input), input, null),
    };

    /// <summary>A batch's commands, each answered and written on its own; the dead letters of its decoding go with the last.</summary>
    private List<Sent> Apply(RecordBatch batch)
    {
        var sentAt = _services.Time.GetTimestamp();
        var decoded = _services.Decoder.Decode(batch, _services.Time.GetUtcNow());
        var sent = new List<Sent>(decoded.Commands.Count);
        for (var i = 0; i < decoded.Commands.Count; i++)
            sent.Add(new Sent(ApplyAsync(batch, decoded.Commands[i], i == decoded.Commands.Count - 1 ? decoded.DeadLetters : []), sentAt));
        // The records are read once more only for the dead letters of orders a customer refused, made with each answer.
        Task answered = sent.Count == 1 ? sent[0].Steps : Task.WhenAll(sent.Select(s => s.Steps));
        answered.ContinueWith(static (_, records) => ((RecordBatch)records!).Release(), batch, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return sent;
    }

    private static List<Sent> Skip(Input input)
    {
        (input as Input.Records)?.Batch.Release();
        return [new Sent(NoSteps, null)];
    }

    private async Task<IReadOnlyList<PartitionStep>> ApplyAsync(RecordBatch batch, ProcessOrders command, IReadOnlyList<DeadLetter> deadLetters)
    {
        var output = await AskAsync<PartitionOutput>(command);
        _services.Decoder.Return(command);
        var letters = deadLetters;
        if (output.Rejected.Count > 0)
        {
            var records = batch.Records.ToDictionary(r => r.Offset);
            letters = [.. letters, .. output.Rejected.Select(r => RecordDecoder.ToDeadLetter(batch.Topic, records[r.Offset], r.Reason))];
        }
        return [new PartitionStep(output, letters)];
    }

    private async Task<IReadOnlyList<PartitionStep>> AskStepsAsync(object command) => [new PartitionStep(await AskAsync<PartitionOutput>(command), [])];

    private static readonly Task<IReadOnlyList<PartitionStep>> NoSteps = Task.FromResult<IReadOnlyList<PartitionStep>>([]);

    private static async Task<IReadOnlyList<PartitionStep>> Both(Task<IReadOnlyList<PartitionStep>> first, Task<IReadOnlyList<PartitionStep>> second) =>
        [.. await first, .. await second];

    private Task<T> AskAsync<T>(object command) =>
        _services.Stalls.WaitAsync(_actor.Ask<T>(command), () => $"{_actor.Path.Name} did not answer {command.GetType().Name}");

    /// <summary>What the answer's commits wait for; last, the signal of its commit, completed once everything before it is committed.</summary>
    private async Task<IReadOnlyList<PendingCommit>> WriteOutputsAsync((Sent Sent, IReadOnlyList<PartitionStep> Steps) answered)
    {
        // A task closed meanwhile writes nothing more: the partition's next owner writes it, and a late demand partial of
        // this one could land after the owner's.
        var pending = await _services.Outputs.WriteAsync(_owned ? answered.Steps : [], answered.Sent.SentAt);
        if (answered.Sent.Committed is { } committed) pending.Add(new PendingCommit(_partition, null, Task.CompletedTask, committed));
        return pending;
    }

    private async Task<PendingCommit> WriteStatesAsync(PendingCommit pending)
    {
        if (pending.States.Count == 0 || !_owned) return pending;
        await _services.Changelog.WriteAsync(_partition, _epoch, pending.States);
        _services.Stats.AddWritten(pending.States.Count);
        return pending;
    }

    private void Commit(PendingCommit pending)
    {
        if (pending.Offset is { } offset && _owned) _services.Source.Commit(_partition, offset);
        if (pending.CheckpointSentAt is { } sentAt) _services.Stats.CheckpointTaken?.Invoke(_services.Time.GetElapsedTime(sentAt));
        pending.Marker?.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What a task is handed, in order.</summary>
    private abstract record Input
    {
        public sealed record Records(RecordBatch Batch) : Input;

        public sealed record Punctuate(DateTimeOffset Now, bool Commit) : Input;

        /// <summary>A command of the end of a run or of a commit: <paramref name="Answered"/> once the actor answered it, <paramref name="Committed"/> once its offset is committed.</summary>
        public sealed record Command(object Message, TaskCompletionSource? Answered = null, TaskCompletionSource? Committed = null) : Input;
    }

    /// <summary>A command sent to the actor, its answer to come; <see cref="SentAt"/> is where a window's latency counts from.</summary>
    private sealed record Sent(Task<IReadOnlyList<PartitionStep>> Steps, long? SentAt, TaskCompletionSource? Answered = null, TaskCompletionSource? Committed = null);
}
