namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>
/// Orders for one customer, then the windows to emit (those closed by <see cref="EmitThrough"/>, or all when
/// <see cref="EmitAll"/> is set), then an evaluation when one is due; with <see cref="Passivate"/>, the customer answers
/// with its snapshot and stops; with <see cref="SnapshotIfChanged"/>, it answers with its snapshot when it changed since
/// the last one.
/// </summary>
/// <remarks>
/// Reused by the partition, which fills a customer's work while it groups a batch and takes it back once every customer
/// of the round has answered: until then nothing changes it. An order to a customer is the worker's commonest message, and
/// a new one for each was 4 % of what the worker allocated in its steady phase.
/// </remarks>
public sealed class CustomerWork
{
    private readonly List<OffsetOrder> _orders;

    /// <summary>Work that starts with no orders, for the partition to add them while it groups a batch.</summary>
    public CustomerWork() => _orders = new List<OffsetOrder>(1); // most customers have one order in a batch

    /// <summary>The same work for every customer of a round without orders.</summary>
    public CustomerWork(DateTimeOffset? emitThrough, bool emitAll, Evaluation? evaluate, RoundReplies? replies, bool snapshotIfChanged = false)
    {
        _orders = [];
        Ask(emitThrough, emitAll, evaluate, passivate: false, replies);
        SnapshotIfChanged = snapshotIfChanged;
    }

    public IReadOnlyList<OffsetOrder> Orders => _orders;

    public DateTimeOffset? EmitThrough { get; private set; }

    public bool EmitAll { get; private set; }

    public Evaluation? Evaluate { get; private set; }

    public bool Passivate { get; private set; }

    public bool SnapshotIfChanged { get; private set; }

    /// <summary>Where a live customer puts its answer; none for a passivated one, which the partition runs itself.</summary>
    public RoundReplies? Replies { get; private set; }

    /// <summary>Nothing to do but hand over the snapshot for a checkpoint.</summary>
    public static CustomerWork TakeSnapshot(RoundReplies replies) => new(null, false, null, replies, snapshotIfChanged: true);

    public void Add(OffsetOrder order) => _orders.Add(order);

    /// <summary>What the round asks of the customer besides its orders.</summary>
    public void Ask(DateTimeOffset? emitThrough, bool emitAll, Evaluation? evaluate, bool passivate, RoundReplies? replies)
    {
        (EmitThrough, EmitAll, Evaluate, Passivate, Replies) = (emitThrough, emitAll, evaluate, passivate, replies);
    }

    /// <summary>Empties the work for another customer, holding on to nothing of the round it served.</summary>
    public void Clear()
    {
        _orders.Clear();
        Ask(null, false, null, false, null);
        SnapshotIfChanged = false;
    }
}
