namespace StreamMetrics.Worker.Pipeline;

/// <summary>Running totals of one pipeline, for the console view and the log; safe to read from any thread.</summary>
public sealed class PipelineStats
{
    private long _ordersApplied;
    private long _duplicates;
    private long _lateOrders;
    private long _deadLetters;
    private long _windowsEmitted;
    private long _recordsRead;
    private long _alreadyApplied;
    private long _statesRestored;
    private long _statesWritten;
    private long _demandTooLate;
    private long _forgottenCustomers;
    private long _demandPartials;

    public long RecordsRead => Interlocked.Read(ref _recordsRead);

    public long OrdersApplied => Interlocked.Read(ref _ordersApplied);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long LateOrders => Interlocked.Read(ref _lateOrders);

    public long DeadLetters => Interlocked.Read(ref _deadLetters);

    public long WindowsEmitted => Interlocked.Read(ref _windowsEmitted);

    /// <summary>Orders read again after a restore and skipped, because their customer had already applied them (offset dedup).</summary>
    public long AlreadyApplied => Interlocked.Read(ref _alreadyApplied);

    public long StatesRestored => Interlocked.Read(ref _statesRestored);

    public long StatesWritten => Interlocked.Read(ref _statesWritten);

    /// <summary>Orders applied to their customer whose demand period was no longer kept.</summary>
    public long DemandTooLate => Interlocked.Read(ref _demandTooLate);

    /// <summary>Customers forgotten, with a tombstone in the changelog, for having placed no order within <c>Metrics:CustomerRetention</c>.</summary>
    public long ForgottenCustomers => Interlocked.Read(ref _forgottenCustomers);

    public long DemandPartials => Interlocked.Read(ref _demandPartials);

    /// <summary>Customers, live or passivated, over all partitions.</summary>
    public int Customers => _customersByPartition.Values.Sum(c => c.All);

    /// <summary>Customers per partition: all of them, and those passivated.</summary>
    public IReadOnlyDictionary<int, (int All, int Passivated)> CustomersByPartition => _customersByPartition.ToDictionary();

    /// <summary>Customers kept as snapshot bytes, without an actor, over all partitions.</summary>
    public int PassivatedCustomers => _customersByPartition.Values.Sum(c => c.Passivated);

    /// <summary>Time spent reading states from the changelog and handing them to partitions.</summary>
    public TimeSpan RestoreTime => TimeSpan.FromTicks(Interlocked.Read(ref _restoreTicks));

    /// <summary>From a command whose records moved the watermark past windows' ends to the acknowledgement of their points.</summary>
    public LatencyHistogram WindowToAck { get; } = new();

    /// <summary>Churn states and at-risk customers as partitions close periods.</summary>
    public ChurnTimeline Churn { get; } = new();

    /// <summary>Segment figures as partitions close periods, for the segments ranked by CLV.</summary>
    public SegmentTimeline Segments { get; } = new();

    /// <summary>Daily demand and forecasts as the demand summing side closes days.</summary>
    public DemandTimeline Demand { get; } = new();

    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, (int All, int Passivated)> _customersByPartition = new();
    private long _restoreTicks;

    internal void SetCustomers(int partition, int customers, int passivated) => _customersByPartition[partition] = (customers, passivated);

    internal void AddRestoreTime(TimeSpan time) => Interlocked.Add(ref _restoreTicks, time.Ticks);

    internal void AddRead(int records) => Interlocked.Add(ref _recordsRead, records);

    internal void AddDeadLetters(int partition, int count)
    {
        AddOutcome(partition, "dead_lettered", count);
        Interlocked.Add(ref _deadLetters, count);
    }

    internal void AddWindows(int count) => Interlocked.Add(ref _windowsEmitted, count);

    internal void AddRestored(int count) => Interlocked.Add(ref _statesRestored, count);

    internal void AddWritten(int count) => Interlocked.Add(ref _statesWritten, count);

    internal void AddForgotten(int count) => Interlocked.Add(ref _forgottenCustomers, count);

    internal void AddDemandPartials(int count) => Interlocked.Add(ref _demandPartials, count);

    /// <summary>Orders per partition and outcome (applied, dead_lettered, duplicate, late), since the start.</summary>
    public IReadOnlyDictionary<(int Partition, string Outcome), long> OrdersByPartition =>
        _ordersByPartition.ToDictionary(entry => entry.Key, entry => Interlocked.Read(ref entry.Value.Count));

    public long Rebalances => Interlocked.Read(ref _rebalances);

    /// <summary>The partitions this worker owns and has restored.</summary>
    public IReadOnlyCollection<int> AssignedPartitions { get; private set; } = [];

    /// <summary>Partitions assigned and still loading their state from the changelog.</summary>
    public IReadOnlyCollection<int> RestoringPartitions { get; private set; } = [];

    /// <summary>What the worker waits for before it starts consuming (Kafka to answer, a database to exist); null once it has started.</summary>
    public string? WaitingFor { get; internal set; }

    internal void SetPartitions(IEnumerable<int> restored, IEnumerable<int> restoring)
    {
        AssignedPartitions = [.. restored.Order()];
        RestoringPartitions = [.. restoring.Order()];
    }

    /// <summary>Called with each checkpoint's time from its command to its commit; set by whoever exports it.</summary>
    public Action<TimeSpan>? CheckpointTaken { get; set; }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(int, string), Tally> _ordersByPartition = new();
    private long _rebalances;

    internal void AddRebalance() => Interlocked.Increment(ref _rebalances);

    private void AddOutcome(int partition, string outcome, long count)
    {
        if (count != 0) Interlocked.Add(ref _ordersByPartition.GetOrAdd((partition, outcome), _ => new Tally()).Count, count);
    }

    private sealed class Tally
    {
        public long Count;
    }

    internal void Add(int partition, Actors.Messages.OrderCounts counts)
    {
        AddOutcome(partition, "applied", counts.Applied);
        AddOutcome(partition, "duplicate", counts.Duplicates);
        AddOutcome(partition, "late", counts.Late);
        Add(counts);
    }

    private void Add(Actors.Messages.OrderCounts counts)
    {
        Interlocked.Add(ref _ordersApplied, counts.Applied);
        Interlocked.Add(ref _duplicates, counts.Duplicates);
        Interlocked.Add(ref _lateOrders, counts.Late);
        Interlocked.Add(ref _alreadyApplied, counts.AlreadyApplied);
        Interlocked.Add(ref _demandTooLate, counts.DemandTooLate);
    }
}
