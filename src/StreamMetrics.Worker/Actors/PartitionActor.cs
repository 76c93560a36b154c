using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Akka.Actor;
using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Customers;
using StreamMetrics.Core.Demand;
using StreamMetrics.Core.Profiles;
using StreamMetrics.Core.Segments;
using StreamMetrics.Core.State;
using StreamMetrics.Core.Time;
using StreamMetrics.Worker.Actors.Messages;
using StreamMetrics.Worker.Options;

namespace StreamMetrics.Worker.Actors;

/// <summary>
/// One assigned Kafka partition: keeps its watermark and the windows pending in it, routes orders to
/// one <see cref="CustomerActor"/> per live customer, keeps idle customers as snapshot bytes, and
/// answers every command with a <see cref="PartitionOutput"/>.
/// </summary>
/// <remarks>
/// Commands are handled one at a time: while the customers of one command are still answering, the
/// next command waits in the stash, so outputs leave in command order and the committable offset only
/// moves forward. No I/O happens here; time comes from event time and from the ticks it is sent.
/// A passivated customer is revived by its next order; windows and evaluations due to it meanwhile
/// run here on its decoded snapshot, so its churn timers keep working without an actor.
/// Every point is a function of the partition's records alone, however they were batched: a command
/// runs in rounds, cut at each record that moves the watermark into a new period; every period start
/// it passed is evaluated right then (those it jumped over as they stood before the record), each with
/// the model this partition last fitted on its own customers, once a week of periods, on the customers
/// as that week's first evaluation saw them. The model goes
/// to the changelog with the partition, so a restore or a new owner evaluates as this one would have.
/// </remarks>
public sealed class PartitionActor : UntypedActor, IWithStash
{
    // A fit of the whole partition costs far more than evaluating it: a replay crosses a period every few
    // records, so the model is refitted once a week of periods (and at every period until a first fit
    // succeeds). Which periods those are is a function of event time, like everything else here.
    private const int PeriodsPerFit = 7;

    // A watermark that jumps far (a partition silent for months, or orders of today after a replay of a past
    // year) has nothing to say about each day it jumped: only the last month of them is evaluated.
    private const int MaxPeriodsPerJump = 31;

    private readonly int _partition;
    private readonly MetricsOptions _options;
    private readonly ChurnModelChoice _churnModel;
    private readonly PeriodWindows _windows;
    private readonly Watermark _watermark;
    private readonly PendingPeriods _pending = new();
    // Reused by every round: it holds every customer with a window to emit, tens of thousands when a day closes.
    private readonly HashSet<string> _emitting = new(StringComparer.Ordinal);
    private readonly PeriodWindows _demandPeriods;
    private readonly DemandPartials _demand;
    private readonly Dictionary<string, LiveCustomer> _live = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _passivated = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]?> _changed = new(StringComparer.Ordinal); // null: a tombstone, the customer is forgotten
    private DateTimeOffset _lastIdleSearch = DateTimeOffset.MinValue;
    private long _lastOffset = -1;
    private long _restoredThrough = -1;
    private DateTimeOffset? _lastRecordAt;
    private readonly CustomerActors _customerActors;
    private OutputInProgress? _current;
    private Queue<Round> _rounds = new();
    // A round's grouping of work by customer, kept for the next rounds once its answers are taken in: most customers have
    // an order or two in a batch, and a map and a work for each of them every batch were about 9 % of what the worker allocated.
    private readonly Stack<Dictionary<string, CustomerWork?>> _spareGroupings = new();
    private readonly Stack<CustomerWork> _spareWork = new();
    private RoundReplies? _spareReplies;
    private const int MaxSpareGroupings = 64, MaxSpareWork = 4096, MaxKeptGroupingSize = 4096;
    private PopulationModel _model;
    // A refit is needed first by the next evaluation: it waits until then, or until the command it was due in has answered,
    // so that the windows of that command do not wait for it (a Pareto/NBD fit took up to 0.6 s on 714 customers).
    private (IReadOnlyList<CustomerSummary> Population, DateTimeOffset At)? _dueFit;
    private readonly List<PartitionFit> _fitsToReport = [];
    private readonly bool _fixedModel;
    private long _lastEvaluatedPeriod = long.MinValue;
    private byte[]? _checkpointedPartition;
    private readonly ProfileTable _profiles;

    /// <param name="churnModel">Which purchase model evaluates customers (<c>Churn:Model</c>).</param>
    /// <param name="fixedModel">A model to evaluate with instead of fitting one (tests that need a known model).</param>
    /// <param name="profiles">The newest customer profiles, whose attributes are segment schemes.</param>
    public PartitionActor(int partition, MetricsOptions options, DemandOptions demand, ChurnModelChoice churnModel, ProfileTable profiles, PopulationModel? fixedModel = null)
    {
        _partition = partition;
        _profiles = profiles;
        _options = options;
        _churnModel = churnModel;
        _windows = new PeriodWindows(options.Period);
        _demandPeriods = new PeriodWindows(demand.Period);
        // Demand periods are kept as long as customer windows, so a late order corrects both alike.
        _demand = new DemandPartials(partition, _demandPeriods, options.OrderIdRetention);
        _watermark = new Watermark(options.AllowedLateness, options.IdleTimeout);
        _model = fixedModel ?? PopulationModel.Empty(options.ChurnThresholds);
        _fixedModel = fixedModel is not null;
        _customerActors = new CustomerActors(Context);
    }

    public IStash Stash { get; set; } = null!;

    public static Props Props(int partition, MetricsOptions options, DemandOptions? demand = null, ChurnModelChoice churnModel = ChurnModelChoice.Auto,
        PopulationModel? fixedModel = null, ProfileTable? profiles = null) =>
        Akka.Actor.Props.Create(() => new PartitionActor(partition, options, demand ?? new DemandOptions(), churnModel, profiles ?? ProfileTable.None, fixedModel));

    private int CustomerCount => _live.Count + _passivated.Count;

    /// <remarks>
    /// One handler with a state flag rather than Become: a ReceiveActor builds its handler anew on every Become, and a
    /// partition switches twice a command (measured: 2 % of the worker's CPU in building handlers).
    /// </remarks>
    protected override void OnReceive(object message)
    {
        // A command is under way until its customers have all answered: what else comes waits in the stash.
        if (_current is not null)
        {
            if (message is not RoundAnswered answered || answered.Replies != _current.Replies)
            {
                Stash.Stash();
                return;
            }
            CollectReplies();
            return;
        }
        switch (message)
        {
            case ProcessOrders command: Handle(command); break;
            case AdvanceIdle tick: Handle(tick); break;
            case EmitAllWindows command: Handle(command); break;
            case StopPartition: Context.Stop(Self); break;
            case SummarizeCustomers: HandleSummarize(); break;
            case EvaluateCustomers command: Handle(command); break;
            case Checkpoint: HandleCheckpoint(); break;
            case RestorePartition restore: Handle(restore); break;
            default: Unhandled(message); break;
        }
    }

    private void Handle(ProcessOrders command)
    {
        var rounds = new Queue<Round>();
        var work = NewWork();
        var late = 0;
        foreach (var entry in command.Orders)
        {
            var customerId = entry.Order.CustomerId;
            var periodIndex = _windows.IndexOf(entry.Order.Timestamp);
            // A record read again after a restore is behind the restored watermark without being late.
            if (entry.Offset > _restoredThrough && _watermark.Current is { } watermark && periodIndex < _windows.IndexOf(watermark)) late++;
            _watermark.Observe(entry.Order.Timestamp);
            _pending.Add(periodIndex, customerId);
            var entered = PeriodsEntered();
            // Period starts the record carried the watermark past are evaluated as they stood before it.
            for (var period = entered.First; period < entered.Last; period++)
            {
                rounds.Enqueue(new Round(work, null, period));
                work = NewWork();
            }
            (CollectionsMarshal.GetValueRefOrAddDefault(work, customerId, out _) ??= NewCustomerWork()).Add(entry);
            if (entered.First > entered.Last) continue;
            rounds.Enqueue(new Round(work, _watermark.Current, entered.Last));
            work = NewWork();
        }
        if (work.Count > 0 || rounds.Count == 0) rounds.Enqueue(new Round(work, _watermark.Current, null));
        _lastOffset = Math.Max(_lastOffset, command.LastOffset);
        _lastRecordAt = command.ReceivedAt;
        Start(new OutputInProgress(Sender, new OrderCounts(command.Orders.Count, 0, late)), rounds);
    }

    /// <summary>A map of the customers of a round to their work: null for those the round sends no orders.</summary>
    private Dictionary<string, CustomerWork?> NewWork() =>
        _spareGroupings.TryPop(out var spare) ? spare : new Dictionary<string, CustomerWork?>(StringComparer.Ordinal);

    private RoundReplies RepliesFor(int customers)
    {
        var spare = _spareReplies;
        _spareReplies = null;
        return spare is not null && spare.TryReuse(customers) ? spare : new RoundReplies(Self, customers);
    }

    private CustomerWork NewCustomerWork() => _spareWork.TryPop(out var spare) ? spare : new CustomerWork();

    /// <summary>A round's answers are all taken in: nothing reads its grouping any more, so its map and works serve the next rounds.</summary>
    /// <remarks>
    /// An evaluation's map holds every customer of the partition: it is left to the collector, so that what is kept stays
    /// about a batch's worth.
    /// </remarks>
    private void Reuse(Dictionary<string, CustomerWork?> work)
    {
        if (work.Count > MaxKeptGroupingSize || _spareGroupings.Count >= MaxSpareGroupings) return;
        foreach (var customerWork in work.Values)
        {
            if (customerWork is null || _spareWork.Count >= MaxSpareWork) continue;
            customerWork.Clear();
            _spareWork.Push(customerWork);
        }
        work.Clear();
        _spareGroupings.Push(work);
    }

    private void Handle(AdvanceIdle tick)
    {
        if (_lastRecordAt is { } lastRecordAt) _watermark.AdvanceIdle(tick.Now - lastRecordAt);
        var rounds = new Queue<Round>();
        var entered = PeriodsEntered();
        for (var period = entered.First; period <= entered.Last; period++) rounds.Enqueue(new Round(NewWork(), _watermark.Current, period));
        rounds.Enqueue(new Round(NewWork(), _watermark.Current, null) { Passivate = IdleCustomers(tick.Now) });
        Start(new OutputInProgress(Sender, default), rounds);
    }

    /// <summary>
    /// The period starts the watermark has passed since the last evaluation, each to be evaluated (empty when
    /// First &gt; Last), at most <see cref="MaxPeriodsPerJump"/>; marks them evaluated. A partition's first
    /// evaluation is at the period its watermark is in.
    /// </summary>
    private (long First, long Last) PeriodsEntered()
    {
        if (_watermark.Current is not { } watermark || _windows.IndexOf(watermark) is var period && period <= _lastEvaluatedPeriod) return (0, -1);
        var first = _lastEvaluatedPeriod == long.MinValue ? period : Math.Max(_lastEvaluatedPeriod + 1, period - (MaxPeriodsPerJump - 1));
        _lastEvaluatedPeriod = period;
        return (first, period);
    }

    /// <summary>Live customers without an order for <c>PassivateAfter</c>.</summary>
    /// <remarks>
    /// Found by a pass over the live customers, at most four times a <c>PassivateAfter</c>, so that an idle customer
    /// passivates within 1¼ of it. A queue of every customer's activity, looked at from its head, cost a queue entry a
    /// customer a batch (2.4 % of what the worker allocated) and held every entry for <c>PassivateAfter</c>.
    /// </remarks>
    private IReadOnlySet<string> IdleCustomers(DateTimeOffset now)
    {
        if (now - _lastIdleSearch < _options.PassivateAfter / 4) return NoOne;
        _lastIdleSearch = now;
        HashSet<string>? idle = null;
        foreach (var (customerId, live) in _live)
            if (live.LastActive + _options.PassivateAfter <= now)
                (idle ??= new HashSet<string>(StringComparer.Ordinal)).Add(customerId);
        return idle ?? NoOne;
    }

    private void HandleSummarize()
    {
        var partition = _partition;
        if (_watermark.Current is not { } watermark)
        {
            Sender.Tell(new PartitionSummaries(partition, null, []));
            return;
        }
        var passivated = _passivated.Select(p => Revive(p.Key, p.Value).Summarize(watermark)).ToList();
        // The live customers answer in their own time; only the answers are combined, no state of this actor is touched.
        // No timeout of its own: the pipeline's StallGuard, which a pause of the process does not trip, waits for the whole.
        Task.WhenAll(_live.Values.Select(c => c.Actor.Ask<CustomerSummary>(new CustomerQuery(watermark))))
            .ContinueWith(t => new PartitionSummaries(partition, watermark, passivated.Count == 0 ? t.Result : [.. t.Result, .. passivated]),
                TaskContinuationOptions.OnlyOnRanToCompletion)
            .PipeTo(Sender);
    }

    /// <summary>The final snapshot of a bounded run: every customer, evaluated at the watermark under the whole population's model.</summary>
    private void Handle(EvaluateCustomers command)
    {
        if (_watermark.Current is not { } watermark)
        {
            Start(new OutputInProgress(Sender, default), new Round(NewWork(), null, null));
            return;
        }
        var period = _windows.IndexOf(watermark);
        _lastEvaluatedPeriod = Math.Max(_lastEvaluatedPeriod, period);
        Start(new OutputInProgress(Sender, default),
            new Round(NewWork(), watermark, period) { Final = new Evaluation(command.Model, watermark, _windows.StartOf(period), ReportAll: true, period - 1, _options.CustomerRetention) });
    }

    /// <summary>
    /// The end of a bounded run: the watermark moves to the end time, or else to the end of the period it is
    /// in, so that the last period read closes like any other; then every window goes out.
    /// </summary>
    private void Handle(EmitAllWindows command)
    {
        if (_watermark.Current is { } watermark) _watermark.AdvanceTo(command.EndTime ?? _windows.StartOf(_windows.IndexOf(watermark) + 1));
        // No evaluation here: the final snapshot of every customer comes next, under the whole population's model.
        Start(new OutputInProgress(Sender, default), new Round(NewWork(), _watermark.Current, null) { EmitAll = true });
    }

    /// <summary>Collects the snapshots of the live customers changed since the last checkpoint, then answers with the checkpoint.</summary>
    private void HandleCheckpoint()
    {
        var unsaved = 0;
        foreach (var live in _live.Values)
            if (live.Unsaved) unsaved++;
        var replies = RepliesFor(unsaved);
        _current = new OutputInProgress(Sender, default) { Checkpoint = true, Replies = replies };
        var takeSnapshot = CustomerWork.TakeSnapshot(replies);
        foreach (var (customerId, live) in _live)
        {
            if (!live.Unsaved) continue;
            replies.Expect();
            live.Actor.Tell(takeSnapshot);
            CollectionsMarshal.GetValueRefOrNullRef(_live, customerId).Unsaved = false; // a value changed in place leaves the pass valid
        }
        if (replies.AllSent()) CollectReplies();
    }

    private PartitionOutput CheckpointOutput()
    {
        // Demand first, customers next, the partition last: they go to one changelog partition in this
        // order, so whatever prefix survives a crash, an order read again is counted by demand at most once.
        var states = new List<KeyValuePair<string, byte[]?>>(_changed.Count + 1);
        foreach (var (key, bytes) in _demand.TakeSnapshots(_lastOffset)) states.Add(new(key, bytes));
        states.AddRange(_changed);
        _changed.Clear();
        var partition = PartitionSnapshot.Encode(_lastOffset, _watermark, _lastEvaluatedPeriod, _model);
        if (states.Count > 0 || _checkpointedPartition is null || !partition.AsSpan().SequenceEqual(_checkpointedPartition))
            states.Add(new(PartitionSnapshot.Key, _checkpointedPartition = partition));
        long? committable = _lastOffset < 0 ? null : _lastOffset + 1;
        return new PartitionOutput(_partition, [], [], committable, default, _watermark.Current, CustomerCount)
        {
            PassivatedCustomers = _passivated.Count,
            States = states,
            Fits = TakeFits(),
        };
    }

    // A restore runs this for every record or state, once a process: optimised from the first call, not quick-compiled first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Handle(RestorePartition restore)
    {
        // When the last record arrived on the wall clock is not in the changelog (nor is it the same clock on another
        // host): the restore counts as the last record, so a partition that stays idle advances again after IdleTimeout.
        _lastRecordAt = restore.RestoredAt;
        try
        {
            foreach (var (key, bytes) in restore.Records)
            {
                if (key == PartitionSnapshot.Key)
                {
                    PopulationModel? model;
                    (_lastOffset, _lastEvaluatedPeriod, model) = PartitionSnapshot.Decode(bytes, _watermark, _options.ChurnThresholds);
                    _model = model ?? _model;
                    _restoredThrough = _lastOffset;
                    _checkpointedPartition = bytes;
                    continue;
                }
                if (key.StartsWith(DemandPartials.SnapshotKeyPrefix, StringComparison.Ordinal))
                {
                    _demand.Restore(key, bytes);
                    continue;
                }
                CustomerSnapshot.AddPendingWindows(key, bytes, _pending);
                _passivated[key] = bytes;
            }
            Sender.Tell(new PartitionRestored(_partition, _passivated.Count));
        }
        catch (InvalidDataException e)
        {
            Sender.Tell(new Status.Failure(new InvalidDataException($"the changelog of partition {_partition} holds a record this build cannot read: {e.Message}", e)));
        }
    }

    private void Start(OutputInProgress output, Queue<Round> rounds)
    {
        _current = output;
        _rounds = rounds;
        RunRound(rounds.Dequeue());
    }

    private void Start(OutputInProgress output, Round round) => Start(output, new Queue<Round>([round]));

    /// <summary>Hands each customer its part of a round: its orders, the windows the round's watermark closes, and the evaluation.</summary>
    private void RunRound(Round round)
    {
        var current = _current!;
        var work = round.Work;
        var emitting = _emitting;
        emitting.Clear();
        if (round.EmitAll) _pending.TakeAll(emitting);
        else if (round.Watermark is { } watermark) _pending.TakeClosed(_windows.IndexOf(watermark), emitting);
        foreach (var customerId in emitting) work.TryAdd(customerId, null);
        foreach (var customerId in round.Passivate) work.TryAdd(customerId, null);
        if (round.EmitAll) current.EmitDemandThrough = long.MaxValue;
        else if (round.Watermark is { } demandWatermark) current.EmitDemandThrough = _demandPeriods.IndexOf(demandWatermark);

        if (round.Final is not null || round.Period is not null) FitIfDue();
        var evaluation = round.Final ?? (round.Period is { } period
            ? new Evaluation(_model, _windows.StartOf(period), _windows.StartOf(period), ReportAll: false, period - 1, _options.CustomerRetention)
            {
                // A fit is a function of event time: at every period until a first one succeeds, then once a week of periods.
                ForFit = !_fixedModel && (_model.PurchaseModel is null || period % PeriodsPerFit == 0),
            }
            : null);
        current.Work = work;
        current.Evaluation = evaluation;
        if (evaluation is not null)
        {
            current.ClosedPeriodStart = _windows.StartOf(evaluation.ClosedPeriod);
            foreach (var customerId in _live.Keys) work.TryAdd(customerId, null);
            foreach (var customerId in _passivated.Keys) work.TryAdd(customerId, null);
            // Every customer answers with its contribution (and its summary for a fit): one list each, not a doubling chain.
            current.Contributions.EnsureCapacity(current.Contributions.Count + work.Count);
            if (evaluation.ForFit) current.Summaries.EnsureCapacity(current.Summaries.Count + work.Count);
        }
        // The customers without orders in the round are all asked the same, so they share one message (an evaluation asks
        // every customer of the partition); those with orders are sent the work their orders were grouped in.
        var replies = current.Replies = RepliesFor(MessagesOf(work));
        CustomerWork? withoutOrders = null, withoutOrdersIfChanged = null;
        foreach (var (customerId, withOrders) in work)
        {
            if (withOrders is null && _passivated.TryGetValue(customerId, out var bytes))
            {
                // A passivated customer has only its bytes to keep what changed (and, not being live, is not passivated again).
                withoutOrdersIfChanged ??= new CustomerWork(round.Watermark, round.EmitAll, evaluation, null, snapshotIfChanged: true);
                TakeIn(Revive(customerId, bytes).Handle(withoutOrdersIfChanged));
                continue;
            }
            var passivate = round.Passivate.Contains(customerId);
            var customerWork = withOrders
                ?? (passivate ? new CustomerWork() : withoutOrders ??= new CustomerWork(round.Watermark, round.EmitAll, evaluation, replies));
            if (customerWork != withoutOrders) customerWork.Ask(round.Watermark, round.EmitAll, evaluation, passivate, replies);
            replies.Expect();
            ref var live = ref CustomerFor(customerId);
            if (withOrders is not null)
            {
                live.LastActive = _lastRecordAt!.Value; // the orders' command is the last one received
                // Marked here, not when it answers: an order changes it unless a duplicate, and a checkpoint asks one that
                // did not change for nothing but an answer without a snapshot.
                live.Unsaved = true;
            }
            live.Actor.Tell(customerWork);
        }

        if (replies.AllSent()) CollectReplies();
    }

    /// <summary>
    /// How many customers of a round get a message: all but the passivated ones without orders, which run here (an
    /// evaluation reaches every customer, and most of a large partition may be passivated).
    /// </summary>
    private int MessagesOf(Dictionary<string, CustomerWork?> work)
    {
        var messages = 0;
        foreach (var (customerId, withOrders) in work)
            if (withOrders is not null || !_passivated.ContainsKey(customerId)) messages++;
        return messages;
    }

    /// <summary>Every customer of the round has answered: their answers are taken in, then the command goes on.</summary>
    private void CollectReplies()
    {
        var current = _current!;
        foreach (var answer in current.Replies!.Answers) TakeIn(answer);
        // Every answer read: the replies serve the next round, unless as large as an evaluation's, which are left to the collector.
        if (current.Replies.Answers.Length <= MaxKeptGroupingSize) _spareReplies = current.Replies;
        current.Replies = null;
        if (current.Checkpoint) Complete();
        else RoundDone();
    }

    /// <summary>
    /// After a regular evaluation, makes a refit of the model due, on the customers as they were evaluated (see
    /// <see cref="FitIfDue"/>); then runs the next round, or answers.
    /// </summary>
    private void RoundDone()
    {
        var current = _current!;
        if (current.ClosedPeriodStart is { } closedStart)
        {
            current.Segments.AddRange(SegmentFigures.Sum(current.Contributions, closedStart, _profiles));
            current.Churn = ChurnOverview.Of(current.Contributions, closedStart);
            current.Contributions.Clear();
            current.ClosedPeriodStart = null;
        }
        // Sorted, so that the fit does not depend on the order in which the customers answered.
        if (current.Evaluation is { ForFit: true } evaluation) _dueFit = (PopulationSample.Select(current.Summaries), evaluation.WindowStart);
        current.Summaries.Clear();
        current.Evaluation = null;
        Reuse(current.Work!);
        current.Work = null;
        if (_rounds.TryDequeue(out var next))
        {
            RunRound(next);
            return;
        }
        Complete();
    }

    private void TakeIn(CustomerAnswer answer)
    {
        var current = _current!;
        if (answer.Done is not { } done)
        {
            // Every order sent was applied, and nothing else happened but an event (it was marked unsaved when sent them).
            AddDemand(current, answer.Sent);
            if (answer.Event is { } customerEvent) current.Events.Add(customerEvent);
            return;
        }
        current.Windows.AddRange(done.Windows);
        current.Events.AddRange(done.Events);
        if (done.Evaluated is { } evaluated)
        {
            current.Contributions.Add(evaluated.Contribution);
            if (evaluated.Metrics is { } metrics) current.Metrics.Add(metrics);
            if (evaluated.Summary is { } summary) current.Summaries.Add(summary);
        }
        current.Rejected.AddRange(done.Rejected);
        current.Duplicates += done.Duplicates;
        current.AlreadyApplied += done.AlreadyApplied;
        AddDemand(current, done.Applied);
        if (done.Snapshot is { } snapshot)
        {
            if (done.SnapshotHasChanges) _changed[done.CustomerId] = snapshot;
            if (done.Passivated || _passivated.ContainsKey(done.CustomerId)) _passivated[done.CustomerId] = snapshot;
        }
        if (done.PastRetention)
        {
            // Forgotten here and, through a tombstone, in the changelog; an order after this starts a new customer.
            LetGo(done.CustomerId);
            _passivated.Remove(done.CustomerId);
            _changed[done.CustomerId] = null;
            current.Forgotten++;
        }
        else if (done.Passivated) LetGo(done.CustomerId);
        else if (done.Unsaved)
        {
            // A live customer changed since its last snapshot: the next checkpoint asks it for one.
            ref var live = ref CollectionsMarshal.GetValueRefOrNullRef(_live, done.CustomerId);
            if (!Unsafe.IsNullRef(ref live)) live.Unsaved = true;
        }
    }

    private void AddDemand(OutputInProgress current, IReadOnlyList<OffsetOrder> applied)
    {
        // Indexed: a foreach through the interface would box the list's enumerator, once per answer.
        for (var i = 0; i < applied.Count; i++)
            if (_demand.Add(applied[i].Order, applied[i].Offset) == DemandAddResult.BeyondRetention) current.DemandTooLate++;
    }

    private void Complete()
    {
        var current = _current!;
        _current = null;
        if (current.Checkpoint)
        {
            current.ReplyTo.Tell(CheckpointOutput());
            Stash.UnstashAll();
            return;
        }
        var counts = current.Counts with
        {
            Applied = current.Counts.Applied - current.Duplicates - current.Rejected.Count - current.AlreadyApplied,
            Duplicates = current.Duplicates,
            AlreadyApplied = current.AlreadyApplied,
            DemandTooLate = current.DemandTooLate,
        };
        // Demand goes out after the customers answered: only what they applied counts.
        var demand = current.EmitDemandThrough is { } firstOpen ? _demand.TakeClosed(firstOpen) : [];
        current.ReplyTo.Tell(new PartitionOutput(_partition, current.Windows, current.Rejected, null, counts, _watermark.Current, CustomerCount)
        {
            PassivatedCustomers = _passivated.Count,
            Metrics = current.Metrics,
            Events = current.Events,
            Segments = current.Segments,
            Churn = current.Churn,
            Fits = TakeFits(),
            Demand = demand,
            ForgottenCustomers = current.Forgotten,
            DemandWatermark = _watermark.Current is { } watermark ? _demandPeriods.IndexOf(watermark) : null,
        });
        FitIfDue(); // answered first; what comes next waits for the model
        Stash.UnstashAll();
    }

    /// <summary>Runs the refit that is due, if any: the model of the evaluations from now on, reported with the next output.</summary>
    private void FitIfDue()
    {
        if (_dueFit is not { } due) return;
        _dueFit = null;
        _model = PopulationModel.From(due.Population, _options.ChurnThresholds, _churnModel, _model);
        _fitsToReport.Add(new PartitionFit(_model, due.At));
    }

    private IReadOnlyList<PartitionFit> TakeFits()
    {
        if (_fitsToReport.Count == 0) return [];
        PartitionFit[] fits = [.. _fitsToReport];
        _fitsToReport.Clear();
        return fits;
    }

    private Customer Revive(string customerId, byte[] snapshot) =>
        new(CustomerSnapshot.Decode(customerId, snapshot, _windows, _options.OrderIdRetention));

    /// <summary>No longer live: its actor, which let go of it, runs the next customer to start.</summary>
    private void LetGo(string customerId)
    {
        if (_live.Remove(customerId, out var live)) _customerActors.TakeBack(live.Actor);
    }

    private ref LiveCustomer CustomerFor(string customerId)
    {
        ref var live = ref CollectionsMarshal.GetValueRefOrNullRef(_live, customerId);
        if (!Unsafe.IsNullRef(ref live)) return ref live;
        var customer = _passivated.Remove(customerId, out var snapshot)
            ? Revive(customerId, snapshot)
            : Customer.New(customerId, _windows, _options.OrderIdRetention);
        var actor = _customerActors.Run(customer);
        ref var started = ref CollectionsMarshal.GetValueRefOrAddDefault(_live, customerId, out _);
        started = new LiveCustomer(actor);
        return ref started;
    }

    /// <summary>
    /// A customer with an actor: when its last orders came (the command's wall-clock time), and whether it changed since
    /// its last snapshot. One entry, so that an order costs one look-up of its customer here, not one a concern.
    /// </summary>
    private struct LiveCustomer(IActorRef actor)
    {
        public readonly IActorRef Actor = actor;
        public DateTimeOffset LastActive;
        public bool Unsaved;
    }

    /// <summary>
    /// One step of a command: orders for some customers, then the windows closed by <paramref name="Watermark"/>,
    /// then the evaluation of <paramref name="Period"/>'s start when the watermark has just entered it.
    /// </summary>
    private sealed record Round(Dictionary<string, CustomerWork?> Work, DateTimeOffset? Watermark, long? Period)
    {
        public bool EmitAll { get; init; }

        public IReadOnlySet<string> Passivate { get; init; } = NoOne;

        /// <summary>The final snapshot's evaluation, under the whole population's model, instead of the partition's own.</summary>
        public Evaluation? Final { get; init; }
    }

    private static readonly HashSet<string> NoOne = [];

    private sealed class OutputInProgress(IActorRef replyTo, OrderCounts counts)
    {
        public IActorRef ReplyTo { get; } = replyTo;

        public OrderCounts Counts { get; } = counts;

        public List<ActivityWindow> Windows { get; } = [];

        public List<RejectedOrder> Rejected { get; } = [];

        public List<CustomerMetrics> Metrics { get; } = [];

        public List<CustomerEvent> Events { get; } = [];

        public List<SegmentContribution> Contributions { get; } = [];

        public DateTimeOffset? ClosedPeriodStart { get; set; }

        /// <summary>The work the current round sent each customer.</summary>
        public Dictionary<string, CustomerWork?>? Work { get; set; }

        public Evaluation? Evaluation { get; set; }

        public List<CustomerSummary> Summaries { get; } = [];

        public List<SegmentFigures> Segments { get; } = [];

        public ChurnOverview? Churn { get; set; }

        public int Duplicates { get; set; }

        public int AlreadyApplied { get; set; }

        public int DemandTooLate { get; set; }

        public int Forgotten { get; set; }

        public long? EmitDemandThrough { get; set; }

        /// <summary>Where the customers of the round under way answer.</summary>
        public RoundReplies? Replies { get; set; }

        public bool Checkpoint { get; init; }
    }
}
