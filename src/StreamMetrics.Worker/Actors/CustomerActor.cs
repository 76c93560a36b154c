using Akka.Actor;
using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Customers;
using StreamMetrics.Core.Orders;
using StreamMetrics.Core.Segments;
using StreamMetrics.Worker.Actors.Messages;

namespace StreamMetrics.Worker.Actors;

/// <summary>One customer: applies its orders to its <see cref="CustomerState"/>, evaluates it when asked, and hands back windows, metrics and events.</summary>
public sealed class CustomerActor : ReceiveActor
{
    private readonly CustomerState _state;
    private readonly CustomerTracker _tracker = new();

    public CustomerActor(CustomerState state)
    {
        _state = state;
        Receive<CustomerWork>(Handle);
        Receive<CustomerQuery>(query => Sender.Tell(_state.Summarize(query.Watermark)));
    }

    public static Props Props(CustomerState state) => Akka.Actor.Props.Create(() => new CustomerActor(state));

    private void Handle(CustomerWork work)
    {
        var duplicates = 0;
        List<RejectedOrder>? rejected = null;
        List<CustomerEvent>? events = null;
        foreach (var (offset, order) in work.Orders)
        {
            switch (_state.Apply(order))
            {
                case ApplyResult.Applied when order.Kind == OrderKind.Purchase:
                    if (_tracker.OnPurchase(_state.CustomerId, order.Timestamp, _tracker.Segment ?? Rfm.NoSegment) is { } purchaseEvent)
                        (events ??= []).Add(purchaseEvent);
                    break;
                case ApplyResult.Duplicate:
                    duplicates++;
                    break;
                case ApplyResult.BeyondRetention:
                    (rejected ??= []).Add(new RejectedOrder(offset,
                        $"order at {order.Timestamp:O} is older than the retention horizon of customer '{_state.CustomerId}', so its window is no longer kept"));
                    break;
            }
        }

        var windows = new List<ActivityWindow>();
        if (work.EmitAll) _state.TakeAllWindows(windows);
        else if (work.EmitThrough is { } watermark) _state.TakeClosedWindows(watermark, windows);

        CustomerMetrics? reported = null;
        SegmentContribution? contribution = null;
        if (work.Evaluate is { } evaluation)
        {
            var metrics = CustomerMetrics.Of(_state, evaluation.Watermark, evaluation.WindowStart, evaluation.Model);
            var bought = _tracker.PurchasedSinceEvaluation;
            var (periodOrders, periodRevenue) = _state.ActivityIn(evaluation.ClosedPeriod);
            contribution = new SegmentContribution(metrics.Segment, _state.Region, _state.Channel, metrics.ChurnState, periodOrders, periodRevenue,
                _tracker.BecameNewSinceEvaluation, _tracker.ReactivatedSinceEvaluation);
            var changes = _tracker.Evaluate(metrics, evaluation.Watermark, _state.Summarize(evaluation.Watermark).History?.T);
            if (changes.Count > 0) (events ??= []).AddRange(changes);
            if (evaluation.ReportAll || bought || changes.Count > 0) reported = metrics;
        }

        Sender.Tell(new CustomerWorkDone(_state.CustomerId, windows, duplicates, rejected ?? (IReadOnlyList<RejectedOrder>)[],
            events ?? (IReadOnlyList<CustomerEvent>)[], reported, contribution));
    }
}
