namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>
/// Orders for one customer, then the windows to emit (those closed by <paramref name="EmitThrough"/>, or
/// all when <paramref name="EmitAll"/> is set), then an evaluation when one is due.
/// </summary>
public sealed record CustomerWork(IReadOnlyList<OffsetOrder> Orders, DateTimeOffset? EmitThrough, bool EmitAll, Evaluation? Evaluate = null);
