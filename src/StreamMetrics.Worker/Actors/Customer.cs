using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Customers;
using StreamMetrics.Core.Orders;
using StreamMetrics.Core.Segments;
using StreamMetrics.Core.State;
using StreamMetrics.Core.Time;
using StreamMetrics.Worker.Actors.Messages;

namespace StreamMetrics.Worker.Actors;

/// <summary>
/// One customer's behaviour, without the actor around it: applies orders (skipping those at or below
/// the last offset applied), emits windows, evaluates churn. A <see cref="CustomerActor"/> runs it for a
/// live customer; a <see cref="PartitionActor"/> runs it directly on a passivated one.
/// </summary>
public sealed class Customer
{
    private readonly CustomerState _state;
    private readonly CustomerTracker _tracker;
    private long _lastAppliedOffset;
    private bool _unsaved; // changed since the last snapshot handed over

    [ThreadStatic]
    private static List<ActivityWindow>? t_taken;

    [ThreadStatic]
    private static List<CustomerEvent>? t_events;

    public string CustomerId => _state.CustomerId;

    /// <summary>A customer the partition has never seen: no orders, no churn history, nothing applied yet.</summary>
    public static Customer New(string customerId, PeriodWindows windows, TimeSpan orderIdRetention) =>
        new(new CustomerState(customerId, windows, orderIdRetention), new CustomerTracker(), CustomerSnapshot.NoOffset);

    public Customer(CustomerSnapshot snapshot) : this(snapshot.State, snapshot.Tracker, snapshot.LastAppliedOffset)
    {
    }

    private Customer(CustomerState state, CustomerTracker tracker, long lastAppliedOffset) =>
        (_state, _tracker, _lastAppliedOffset) = (state, tracker, lastAppliedOffset);

    public CustomerSummary Summarize(DateTimeOffset watermark) => _state.Summarize(watermark);

    public CustomerSnapshot Snapshot => new(_state, _tracker, _lastAppliedOffset);

    /// <summary>Runs one <see cref="CustomerWork"/>; answers without a <see cref="CustomerWorkDone"/> when all it did was apply every order (see <see cref="CustomerAnswer"/>).</summary>
    public CustomerAnswer Handle(CustomerWork work)
    {
        var (duplicates, alreadyApplied) = (0, 0);
        List<RejectedOrder>? rejected = null;
        // Gathered in a list of the thread's own: most answers carry none, and most of the rest one.
        var events = t_events ??= [];
        events.Clear();
        List<OffsetOrder>? applied = null; // null while every order so far was applied: they are work.Orders itself
        // Indexed, not foreach: through the interface a foreach would box the list's enumerator, once per customer and batch.
        for (var i = 0; i < work.Orders.Count; i++)
        {
            var entry = work.Orders[i];
            var (offset, order) = entry;
            if (offset <= _lastAppliedOffset)
            {
                alreadyApplied++;
                applied ??= AppliedBefore(work.Orders, i);
                continue;
            }
            _lastAppliedOffset = offset;
            var result = _state.Apply(order);
            if (result == ApplyResult.Applied) applied?.Add(entry);
            else applied ??= AppliedBefore(work.Orders, i);
            switch (result)
            {
                case ApplyResult.Applied when order.Kind == OrderKind.Purchase:
                    if (_tracker.OnPurchase(CustomerId, order.Timestamp, _tracker.Segment ?? Rfm.NoSegment) is { } purchaseEvent)
                        events.Add(purchaseEvent);
                    break;
                case ApplyResult.Duplicate:
                    duplicates++;
                    break;
                case ApplyResult.BeyondRetention:
                    (rejected ??= []).Add(new RejectedOrder(offset,
                        $"order at {order.Timestamp:O} is older than the retention horizon of customer '{CustomerId}', so its window is no longer kept"));
                    break;
            }
        }

        var windows = TakeWindows(work);
        if (applied is null && work.Orders.Count > 0 && events.Count <= 1 && windows.Count == 0
            && work is { Evaluate: null, Passivate: false, SnapshotIfChanged: false })
        {
            _unsaved = true;
            return CustomerAnswer.Applied(work.Orders, events.Count == 1 ? events[0] : null);
        }

        if (work.Evaluate is { } due && _state.IsPastRetention(due.Watermark, due.CustomerRetention))
            return new CustomerAnswer(work.Orders, new CustomerWorkDone(CustomerId, windows, duplicates, rejected ?? (IReadOnlyList<RejectedOrder>)[], TakeEvents())
            {
                AlreadyApplied = alreadyApplied,
                Applied = applied ?? work.Orders,
                PastRetention = true,
            });

        var trackerBefore = TrackerPosition();
        CustomerEvaluated? evaluated = null;
        if (work.Evaluate is { } evaluation)
        {
            var summary = _state.Summarize(evaluation.Watermark);
            var metrics = CustomerMetrics.Of(_state, evaluation.Watermark, evaluation.WindowStart, evaluation.Model);
            var bought = _tracker.PurchasedSinceEvaluation;
            var (periodOrders, periodRevenue) = _state.ActivityIn(evaluation.ClosedPeriod);
            var contribution = new SegmentContribution(metrics.Segment, _state.Region, _state.Channel, metrics.ChurnState, periodOrders, periodRevenue,
                _tracker.BecameNewSinceEvaluation, _tracker.ReactivatedSinceEvaluation, CustomerId, metrics.RevenueTotal, metrics.PAlive, metrics.DaysSinceLastOrder,
                metrics.Clv12m);
            var changes = _tracker.Evaluate(metrics, evaluation.Watermark, summary.History?.T);
            events.AddRange(changes);
            var reported = evaluation.ReportAll || bought || changes.Count > 0 ? metrics : null;
            evaluated = new CustomerEvaluated(contribution, reported, evaluation.ForFit ? summary : null);
        }

        _unsaved |= work.Orders.Count > alreadyApplied || windows.Count > 0 || TrackerPosition() != trackerBefore;
        // Encoded only when asked: a busy customer changes with every order, and is checkpointed once per interval.
        var snapshotHasChanges = _unsaved;
        var snapshot = work.Passivate || work.SnapshotIfChanged && _unsaved ? CustomerSnapshot.Encode(_state, _tracker, _lastAppliedOffset) : null;
        if (snapshot is not null) _unsaved = false;
        return new CustomerAnswer(work.Orders, new CustomerWorkDone(CustomerId, windows, duplicates, rejected ?? (IReadOnlyList<RejectedOrder>)[], TakeEvents())
        {
            AlreadyApplied = alreadyApplied,
            Applied = applied ?? work.Orders,
            Snapshot = snapshot,
            SnapshotHasChanges = snapshotHasChanges,
            Unsaved = _unsaved,
            Passivated = work.Passivate,
            Evaluated = evaluated,
        });
    }

    /// <summary>The events gathered while handling a work, for its answer to keep.</summary>
    private static IReadOnlyList<CustomerEvent> TakeEvents() => t_events is { Count: > 0 } events ? [.. events] : [];

    /// <summary>The orders before <paramref name="index"/>, every one of them applied: the start of a list of the applied ones.</summary>
    private static List<OffsetOrder> AppliedBefore(IReadOnlyList<OffsetOrder> orders, int index)
    {
        var applied = new List<OffsetOrder>(orders.Count - 1);
        for (var i = 0; i < index; i++) applied.Add(orders[i]);
        return applied;
    }

    /// <summary>The windows the work closes, gathered in a list of the thread's own, so that a customer with none allocates nothing.</summary>
    private IReadOnlyList<ActivityWindow> TakeWindows(CustomerWork work)
    {
        if (_state.PendingWindows == 0 || work is { EmitAll: false, EmitThrough: null }) return [];
        var taken = t_taken ??= [];
        taken.Clear();
        if (work.EmitAll) _state.TakeAllWindows(taken);
        else _state.TakeClosedWindows(work.EmitThrough!.Value, taken);
        if (taken.Count == 0) return [];
        ActivityWindow[] windows = [.. taken];
        taken.Clear();
        return windows;
    }

    private (ChurnState, string?, bool, bool, bool, bool) TrackerPosition() =>
        (_tracker.State, _tracker.Segment, _tracker.EngagementDropOpen, _tracker.PurchasedSinceEvaluation,
            _tracker.BecameNewSinceEvaluation, _tracker.ReactivatedSinceEvaluation);
}
