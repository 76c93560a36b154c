namespace StreamMetrics.Influx.Writing;

/// <summary>What happened to the points submitted to a writer. Acked + Rejected + Buffered = Submitted, always.</summary>
public sealed class InfluxWriterCounters
{
    private long _submitted;
    private long _acked;
    private long _rejected;
    private long _retries;

    public long Submitted => Interlocked.Read(ref _submitted);

    public long Acked => Interlocked.Read(ref _acked);

    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Submitted and not yet acknowledged or rejected.</summary>
    public long Buffered => Submitted - Acked - Rejected;

    public long Retries => Interlocked.Read(ref _retries);

    internal void AddSubmitted(int count) => Interlocked.Add(ref _submitted, count);

    internal void AddAcked(int count) => Interlocked.Add(ref _acked, count);

    internal void AddRejected(int count) => Interlocked.Add(ref _rejected, count);

    internal void AddRetry() => Interlocked.Increment(ref _retries);

    /// <summary>Why the last write attempt did not get an answer from InfluxDB (unreachable, 5xx, refused), or null when it did.</summary>
    public string? LastWriteProblem { get; private set; }

    /// <summary>Called with the duration of each write request; set by whoever exports it.</summary>
    public Action<TimeSpan>? WriteTimed { get; set; }

    internal void RecordWrite(TimeSpan took, string? problem)
    {
        LastWriteProblem = problem;
        WriteTimed?.Invoke(took);
    }
}
