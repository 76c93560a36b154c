namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>
/// Orders for one customer, then the windows to emit (those closed by <paramref name="EmitThrough"/>, or
/// all when <paramref name="EmitAll"/> is set), then an evaluation when one is due; with
/// <paramref name="Passivate"/>, the customer answers with its snapshot and stops.
/// </summary>
public sealed record CustomerWork(IReadOnlyList<OffsetOrder> Orders, DateTimeOffset? EmitThrough, bool EmitAll, Evaluation? Evaluate = null, bool Passivate = false);
