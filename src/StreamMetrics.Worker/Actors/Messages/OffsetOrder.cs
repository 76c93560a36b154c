using StreamMetrics.Core.Orders;

namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>A valid order together with the Kafka offset it was read at.</summary>
public sealed record OffsetOrder(long Offset, OrderEvent Order);
