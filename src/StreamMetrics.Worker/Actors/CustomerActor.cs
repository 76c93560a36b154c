using Akka.Actor;
using StreamMetrics.Core.Customers;
using StreamMetrics.Worker.Actors.Messages;

namespace StreamMetrics.Worker.Actors;

/// <summary>One customer: applies its orders to its <see cref="CustomerState"/> and hands back the windows to emit.</summary>
public sealed class CustomerActor : ReceiveActor
{
    private readonly CustomerState _state;

    public CustomerActor(CustomerState state)
    {
        _state = state;
        Receive<CustomerWork>(Handle);
        Receive<CustomerQuery.Summary>(query => Sender.Tell(_state.Summarize(query.Watermark)));
        Receive<CustomerQuery.Metrics>(query => Sender.Tell(CustomerMetrics.Of(_state, query.Watermark, query.WindowStart, query.Model)));
    }

    public static Props Props(CustomerState state) => Akka.Actor.Props.Create(() => new CustomerActor(state));

    private void Handle(CustomerWork work)
    {
        var duplicates = 0;
        List<RejectedOrder>? rejected = null;
        foreach (var (offset, order) in work.Orders)
        {
            switch (_state.Apply(order))
            {
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

        Sender.Tell(new CustomerWorkDone(_state.CustomerId, windows, duplicates, rejected ?? (IReadOnlyList<RejectedOrder>)[]));
    }
}
