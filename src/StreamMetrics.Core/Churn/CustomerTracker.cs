using StreamMetrics.Core.Customers;
using StreamMetrics.Core.State;

namespace StreamMetrics.Core.Churn;

/// <summary>
/// Remembers where a customer stood at its last evaluation and turns changes into events: a first
/// purchase, a fall into at_risk or churned, a purchase that brings a churned customer back, an
/// engagement drop (once per episode) and a change of RFM segment.
/// </summary>
public sealed class CustomerTracker
{
    public ChurnState State { get; private set; } = ChurnState.None;

    public string? Segment { get; private set; }

    public bool EngagementDropOpen { get; private set; }

    /// <summary>Set by a purchase, cleared by an evaluation: a metrics point is due for the period.</summary>
    public bool PurchasedSinceEvaluation { get; private set; }

    /// <summary>The customer's first purchase came since the last evaluation.</summary>
    public bool BecameNewSinceEvaluation { get; private set; }

    /// <summary>A churned customer came back since the last evaluation.</summary>
    public bool ReactivatedSinceEvaluation { get; private set; }

    /// <summary>Events of a purchase at its event time: a first purchase, or a churned customer's return.</summary>
    public CustomerEvent? OnPurchase(string customerId, DateTimeOffset at, string segment)
    {
        PurchasedSinceEvaluation = true;
        switch (State)
        {
            case ChurnState.None:
                State = ChurnState.New;
                BecameNewSinceEvaluation = true;
                return new CustomerEvent(customerId, CustomerEvent.NewCustomer, at, null, 0, 0, segment, null, "new");
            case ChurnState.Churned:
                State = ChurnState.Active;
                ReactivatedSinceEvaluation = true;
                return new CustomerEvent(customerId, CustomerEvent.Reactivated, at, null, 0, 0, segment, "churned", "active");
            default:
                return null;
        }
    }

    /// <summary>Compares the customer's metrics at an evaluation with where it stood, and says what changed.</summary>
    public IReadOnlyList<CustomerEvent> Evaluate(CustomerMetrics metrics, DateTimeOffset at, double? daysAsCustomer)
    {
        var events = new List<CustomerEvent>();
        CustomerEvent Event(string name, string? from, string? to) =>
            new(metrics.CustomerId, name, at, metrics.PAlive, metrics.DaysSinceLastOrder, metrics.Orders30d, metrics.Segment, from, to);

        var state = metrics.ChurnState;
        if (state != State && state is ChurnState.AtRisk or ChurnState.Churned)
            events.Add(Event(state == ChurnState.AtRisk ? CustomerEvent.AtRisk : CustomerEvent.Churned, Name(State), Name(state)));
        State = state;

        if (Segment is not null && Segment != metrics.Segment)
            events.Add(Event(CustomerEvent.SegmentChanged, Segment, metrics.Segment));
        Segment = metrics.Segment;

        var dropped = daysAsCustomer is { } days && EngagementDrop.IsDropped(metrics.OrdersTotal, days, metrics.Orders30d);
        if (dropped && !EngagementDropOpen) events.Add(Event(CustomerEvent.EngagementDrop, null, null));
        EngagementDropOpen = dropped;

        PurchasedSinceEvaluation = BecameNewSinceEvaluation = ReactivatedSinceEvaluation = false;
        return events;
    }

    internal void WriteTo(SnapshotWriter writer)
    {
        writer.WriteByte((byte)State);
        writer.WriteByte((byte)((EngagementDropOpen ? 1 : 0) | (PurchasedSinceEvaluation ? 2 : 0)
            | (BecameNewSinceEvaluation ? 4 : 0) | (ReactivatedSinceEvaluation ? 8 : 0)));
        writer.WriteString(Segment);
    }

    internal static CustomerTracker ReadFrom(ref SnapshotReader reader)
    {
        var state = ReadState(ref reader);
        var flags = reader.ReadByte();
        return new CustomerTracker
        {
            State = state,
            EngagementDropOpen = (flags & 1) != 0,
            PurchasedSinceEvaluation = (flags & 2) != 0,
            BecameNewSinceEvaluation = (flags & 4) != 0,
            ReactivatedSinceEvaluation = (flags & 8) != 0,
            Segment = reader.ReadString(),
        };
    }

    /// <summary>Passes over a tracker, refusing what <see cref="ReadFrom"/> refuses.</summary>
    internal static void Skip(ref SnapshotReader reader)
    {
        ReadState(ref reader);
        reader.ReadByte(); // flags
        reader.SkipString(); // segment
    }

    private static ChurnState ReadState(ref SnapshotReader reader)
    {
        var state = reader.ReadByte();
        if (!Enum.IsDefined((ChurnState)state)) throw new InvalidDataException($"state snapshot holds an unknown churn state {state}");
        return (ChurnState)state;
    }

    public static string Name(ChurnState state) => state switch
    {
        ChurnState.New => "new",
        ChurnState.Active => "active",
        ChurnState.AtRisk => "at_risk",
        ChurnState.Churned => "churned",
        _ => "none",
    };
}
