namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>
/// A customer's answer to <see cref="CustomerWork"/>: <see cref="CustomerOrdersApplied"/> when all it did was apply
/// every order it was sent, otherwise <see cref="CustomerWorkDone"/>.
/// </summary>
/// <remarks>
/// Two shapes because one order to a customer is the worker's commonest message: its answer should cost no
/// more than the customer's id, not the empty lists and evaluation fields of the full one.
/// </remarks>
public abstract record CustomerReply(string CustomerId);
