namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>
/// The customer applied every order of its <see cref="CustomerWork"/> and did nothing else: no duplicate, no
/// window, no event, no evaluation, no snapshot. It has changed since its last snapshot.
/// </summary>
public sealed record CustomerOrdersApplied(string CustomerId) : CustomerReply(CustomerId);
