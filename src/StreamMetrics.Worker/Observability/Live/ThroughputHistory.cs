namespace StreamMetrics.Worker.Observability.Live;

/// <summary>Orders applied per second over the last <see cref="SamplesKept"/> samples, from a running total sampled at a steady interval.</summary>
public sealed class ThroughputHistory
{
    private const int SamplesKept = 300;
    private readonly Lock _lock = new();
    private readonly Queue<(DateTimeOffset At, long Applied)> _samples = new();

    public void Sample(DateTimeOffset at, long applied)
    {
        lock (_lock)
        {
            _samples.Enqueue((at, applied));
            while (_samples.Count > SamplesKept + 1) _samples.Dequeue();
        }
    }

    /// <summary>The rate between each sample and the one before it, stamped with the later one.</summary>
    public IReadOnlyList<ThroughputPoint> Rates()
    {
        lock (_lock)
        {
            return _samples.Zip(_samples.Skip(1), (before, after) =>
                    new ThroughputPoint(after.At, (after.Applied - before.Applied) / Math.Max((after.At - before.At).TotalSeconds, 1e-3)))
                .ToList();
        }
    }
}

public sealed record ThroughputPoint(DateTimeOffset At, double OrdersPerSecond);
