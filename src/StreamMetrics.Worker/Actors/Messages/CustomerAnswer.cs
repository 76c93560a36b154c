using StreamMetrics.Core.Churn;

namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>A customer's answer to its <see cref="CustomerWork"/>: the orders it was sent, and what it did with them.</summary>
/// <remarks>
/// A struct with no <see cref="Done"/> for the commonest answers, an order applied to a live customer and a new customer's
/// first, so that answering costs nothing but the event (a <see cref="CustomerWorkDone"/> and a list of the one event were
/// 180 bytes of a customer's start). Two references wide: the partition keeps a round's answers in one array, a slot a
/// customer.
/// </remarks>
public readonly struct CustomerAnswer
{
    private readonly object? _outcome; // a CustomerWorkDone, the one CustomerEvent, or nothing

    public CustomerAnswer(IReadOnlyList<OffsetOrder> sent, CustomerWorkDone? done) => (Sent, _outcome) = (sent, done);

    private CustomerAnswer(IReadOnlyList<OffsetOrder> sent, CustomerEvent customerEvent) => (Sent, _outcome) = (sent, customerEvent);

    /// <summary>Every order sent applied, and nothing else happened but <paramref name="customerEvent"/>, when there is one.</summary>
    public static CustomerAnswer Applied(IReadOnlyList<OffsetOrder> sent, CustomerEvent? customerEvent) =>
        customerEvent is null ? new CustomerAnswer(sent, (CustomerWorkDone?)null) : new CustomerAnswer(sent, customerEvent);

    public IReadOnlyList<OffsetOrder> Sent { get; }

    /// <summary>
    /// Null when all the customer did was apply every order it was sent, with at most one <see cref="Event"/>: no duplicate,
    /// no window, no evaluation, no snapshot; it has changed since its last snapshot.
    /// </summary>
    public CustomerWorkDone? Done => _outcome as CustomerWorkDone;

    /// <summary>Without <see cref="Done"/>, the one event the orders made: a first purchase makes a customer new.</summary>
    public CustomerEvent? Event => _outcome as CustomerEvent;
}
