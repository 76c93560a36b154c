using StreamMetrics.Core.Orders;

namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>A valid order together with the Kafka offset it was read at.</summary>
/// <remarks>A struct: the lists of a batch and of each of its customers hold it inline, not one object an order.</remarks>
public readonly record struct OffsetOrder(long Offset, OrderEvent Order);
