namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>
/// Orders for one customer, then the windows to emit (those closed by <paramref name="EmitThrough"/>, or
/// all when <paramref name="EmitAll"/> is set), then an evaluation when one is due; with
/// <paramref name="Passivate"/>, the customer answers with its snapshot and stops; with
/// <paramref name="SnapshotIfChanged"/>, it answers with its snapshot when it changed since the last one.
/// </summary>
public sealed record CustomerWork(IReadOnlyList<OffsetOrder> Orders, DateTimeOffset? EmitThrough, bool EmitAll, Evaluation? Evaluate = null, bool Passivate = false,
    bool SnapshotIfChanged = false)
{
    /// <summary>Where a live customer puts its answer; none for a passivated one, which the partition runs itself.</summary>
    public RoundReplies? Replies { get; init; }

    /// <summary>Nothing to do but hand over the snapshot for a checkpoint.</summary>
    public static CustomerWork TakeSnapshot(RoundReplies replies) => new([], null, false, SnapshotIfChanged: true) { Replies = replies };
}
