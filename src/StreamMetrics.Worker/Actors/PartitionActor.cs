using Akka.Actor;
using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Customers;
using StreamMetrics.Core.Segments;
using StreamMetrics.Core.Time;
using StreamMetrics.Worker.Actors.Messages;
using StreamMetrics.Worker.Options;

namespace StreamMetrics.Worker.Actors;

/// <summary>
/// One assigned Kafka partition: keeps its watermark and the windows pending in it, routes orders to
/// one <see cref="CustomerActor"/> per customer, and answers every command with a <see cref="PartitionOutput"/>.
/// </summary>
/// <remarks>
/// Commands are handled one at a time: while the customers of one command are still answering, the
/// next command waits in the stash, so outputs leave in command order and the committable offset only
/// moves forward. No I/O happens here; time comes from event time and from the ticks it is sent.
/// </remarks>
public sealed class PartitionActor : ReceiveActor, IWithStash
{
    private readonly int _partition;
    private readonly MetricsOptions _options;
    private readonly PeriodWindows _windows;
    private readonly Watermark _watermark;
    private readonly PendingPeriods _pending = new();
    private readonly Dictionary<string, IActorRef> _customers = new(StringComparer.Ordinal);
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromMinutes(1);
    private long _lastOffset = -1;
    private DateTimeOffset? _lastRecordAt;
    private long _customerSequence;
    private OutputInProgress? _current;
    private PopulationModel? _model;
    private long _lastEvaluatedPeriod = long.MinValue;

    public PartitionActor(int partition, MetricsOptions options)
    {
        _partition = partition;
        _options = options;
        _windows = new PeriodWindows(options.Period);
        _watermark = new Watermark(options.AllowedLateness, options.IdleTimeout);
        Become(Ready);
    }

    public IStash Stash { get; set; } = null!;

    public static Props Props(int partition, MetricsOptions options) =>
        Akka.Actor.Props.Create(() => new PartitionActor(partition, options));

    private void Ready()
    {
        Receive<ProcessOrders>(Handle);
        Receive<AdvanceIdle>(Handle);
        Receive<EmitAllWindows>(Handle);
        Receive<StopPartition>(_ => Context.Stop(Self));
        Receive<SummarizeCustomers>(_ => HandleSummarize());
        Receive<EvaluateCustomers>(Handle);
        Receive<UpdateModel>(update => _model = update.Model);
    }

    private void Collecting()
    {
        Receive<CustomerWorkDone>(Handle);
        ReceiveAny(_ => Stash.Stash());
    }

    private void Handle(ProcessOrders command)
    {
        var work = new Dictionary<string, List<OffsetOrder>>(StringComparer.Ordinal);
        var late = 0;
        foreach (var entry in command.Orders)
        {
            var periodIndex = _windows.IndexOf(entry.Order.Timestamp);
            if (_watermark.Current is { } watermark && periodIndex < _windows.IndexOf(watermark)) late++;
            _watermark.Observe(entry.Order.Timestamp);
            _pending.Add(periodIndex, entry.Order.CustomerId, entry.Offset);
            if (!work.TryGetValue(entry.Order.CustomerId, out var orders)) work.Add(entry.Order.CustomerId, orders = []);
            orders.Add(entry);
        }
        _lastOffset = Math.Max(_lastOffset, command.LastOffset);
        _lastRecordAt = command.ReceivedAt;
        Dispatch(work, emitAll: false, new OrderCounts(command.Orders.Count, 0, late));
    }

    private void Handle(AdvanceIdle tick)
    {
        if (_lastRecordAt is { } lastRecordAt) _watermark.AdvanceIdle(tick.Now - lastRecordAt);
        Dispatch(NoOrders(), emitAll: false, default);
    }

    private void HandleSummarize()
    {
        var partition = _partition;
        if (_watermark.Current is not { } watermark)
        {
            Sender.Tell(new PartitionSummaries(partition, null, []));
            return;
        }
        // The customers answer in their own time; only the answers are combined, no state of this actor is touched.
        Task.WhenAll(_customers.Values.Select(c => c.Ask<CustomerSummary>(new CustomerQuery(watermark), QueryTimeout)))
            .ContinueWith(t => new PartitionSummaries(partition, watermark, t.Result), TaskContinuationOptions.OnlyOnRanToCompletion)
            .PipeTo(Sender);
    }

    private void Handle(EvaluateCustomers command)
    {
        _model = command.Model;
        Dispatch(NoOrders(), emitAll: false, default, reportAll: true);
    }

    private void Handle(EmitAllWindows command)
    {
        if (command.EndTime is { } endTime) _watermark.AdvanceTo(endTime);
        // No evaluation here: the end of a bounded run evaluates every customer next, under a fresh fit.
        Dispatch(NoOrders(), emitAll: true, default, evaluate: false);
    }

    private void Dispatch(Dictionary<string, List<OffsetOrder>> work, bool emitAll, OrderCounts counts, bool reportAll = false, bool evaluate = true)
    {
        var emitting = new HashSet<string>(StringComparer.Ordinal);
        if (emitAll) _pending.TakeAll(emitting);
        else if (_watermark.Current is { } watermark) _pending.TakeClosed(_windows.IndexOf(watermark), emitting);

        _current = new OutputInProgress(Sender, counts);
        foreach (var customerId in emitting) work.TryAdd(customerId, []);
        var evaluation = evaluate ? EvaluationDue(reportAll) : null;
        _current.ClosedPeriodStart = evaluation is null ? null : _windows.StartOf(evaluation.ClosedPeriod);
        if (evaluation is not null)
            foreach (var customerId in _customers.Keys) work.TryAdd(customerId, []);
        foreach (var (customerId, orders) in work)
        {
            CustomerFor(customerId).Tell(new CustomerWork(orders, _watermark.Current, emitAll, evaluation));
            _current.Outstanding++;
        }

        if (_current.Outstanding == 0) Complete();
        else Become(Collecting);
    }

    /// <summary>
    /// Every customer, live or not, is re-evaluated each time the watermark passes a period end, so that
    /// absence is noticed while the stream is silent, not at the customer's next order.
    /// </summary>
    private Evaluation? EvaluationDue(bool reportAll)
    {
        if (_model is null || _watermark.Current is not { } watermark) return null;
        var period = _windows.IndexOf(watermark);
        if (!reportAll && period <= _lastEvaluatedPeriod) return null;
        _lastEvaluatedPeriod = Math.Max(_lastEvaluatedPeriod, period);
        return new Evaluation(_model, watermark, _windows.StartOf(period), reportAll, period - 1);
    }

    private void Handle(CustomerWorkDone done)
    {
        var current = _current!;
        current.Windows.AddRange(done.Windows);
        current.Events.AddRange(done.Events);
        if (done.Metrics is { } metrics) current.Metrics.Add(metrics);
        if (done.Contribution is { } contribution) current.Contributions.Add(contribution);
        current.Rejected.AddRange(done.Rejected);
        current.Duplicates += done.Duplicates;
        if (--current.Outstanding == 0) Complete();
    }

    private void Complete()
    {
        var current = _current!;
        _current = null;
        var counts = current.Counts with
        {
            Applied = current.Counts.Applied - current.Duplicates - current.Rejected.Count,
            Duplicates = current.Duplicates,
        };
        long? committable = _lastOffset < 0 ? null : _pending.LowestOffset ?? _lastOffset + 1;
        current.ReplyTo.Tell(new PartitionOutput(_partition, current.Windows, current.Rejected, committable, counts, _watermark.Current, _customers.Count)
        {
            Metrics = current.Metrics,
            Events = current.Events,
            Segments = current.ClosedPeriodStart is { } periodStart ? SegmentFigures.Sum(current.Contributions, periodStart) : [],
        });
        Become(Ready);
        Stash.UnstashAll();
    }

    private static Dictionary<string, List<OffsetOrder>> NoOrders() => new(StringComparer.Ordinal);

    private IActorRef CustomerFor(string customerId)
    {
        if (_customers.TryGetValue(customerId, out var customer)) return customer;
        // Customer ids may hold any character, so actor names come from a sequence instead.
        var state = new CustomerState(customerId, _windows, _options.OrderIdRetention);
        customer = Context.ActorOf(CustomerActor.Props(state), $"customer-{++_customerSequence}");
        _customers.Add(customerId, customer);
        return customer;
    }

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

        public int Duplicates { get; set; }

        public int Outstanding { get; set; }
    }
}
