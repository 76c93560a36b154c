namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>
/// The customer applied every order of its <see cref="CustomerWork"/> and did nothing else: no duplicate, no
/// window, no event, no evaluation, no snapshot. It has changed since its last snapshot.
/// </summary>
/// <param name="Orders">The orders it was sent, every one applied.</param>
public sealed record CustomerOrdersApplied(string CustomerId, IReadOnlyList<OffsetOrder> Orders) : CustomerReply(CustomerId);
