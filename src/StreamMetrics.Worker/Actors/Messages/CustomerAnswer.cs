namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>A customer's answer to its <see cref="CustomerWork"/>: the orders it was sent, and what it did with them.</summary>
/// <param name="Done">Null when all it did was apply every order it was sent: no duplicate, no window, no event, no
/// evaluation, no snapshot; it has changed since its last snapshot.</param>
/// <remarks>
/// A struct with a null for the commonest answer, one order applied to a live customer, so that answering costs nothing.
/// </remarks>
public readonly record struct CustomerAnswer(IReadOnlyList<OffsetOrder> Sent, CustomerWorkDone? Done);
