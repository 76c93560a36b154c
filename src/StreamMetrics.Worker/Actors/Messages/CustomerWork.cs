using StreamMetrics.Core.Orders;

namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>
/// Orders for one customer, then the windows to emit: those closed by <paramref name="EmitThrough"/>,
/// or all of them when <paramref name="EmitAll"/> is set.
/// </summary>
public sealed record CustomerWork(IReadOnlyList<OffsetOrder> Orders, DateTimeOffset? EmitThrough, bool EmitAll);
