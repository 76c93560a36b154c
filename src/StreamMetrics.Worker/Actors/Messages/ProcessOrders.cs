namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>
/// Orders of one partition, in offset order, up to and including <paramref name="LastOffset"/>; records
/// in that range that are not here were dead-lettered and count as processed.
/// </summary>
public sealed record ProcessOrders(IReadOnlyList<OffsetOrder> Orders, long LastOffset, DateTimeOffset ReceivedAt);
