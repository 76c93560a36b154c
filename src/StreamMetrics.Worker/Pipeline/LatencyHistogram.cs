namespace StreamMetrics.Worker.Pipeline;

/// <summary>Latencies counted per millisecond up to a minute (longer ones in the last bucket), for exact percentiles at that resolution without keeping samples.</summary>
public sealed class LatencyHistogram
{
    private readonly long[] _counts = new long[60_001];

    public long Count => _counts.Sum();

    public void Record(TimeSpan latency, int times = 1)
    {
        var bucket = (int)Math.Clamp(Math.Round(latency.TotalMilliseconds), 0, _counts.Length - 1);
        Interlocked.Add(ref _counts[bucket], times);
    }

    /// <summary>The smallest latency in milliseconds that at least <paramref name="quantile"/> of the recorded ones do not exceed; null when empty.</summary>
    public double? Percentile(double quantile)
    {
        var total = Count;
        if (total == 0) return null;
        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var ms = 0; ms < _counts.Length; ms++)
            if ((seen += Interlocked.Read(ref _counts[ms])) >= rank) return ms;
        return _counts.Length - 1;
    }
}
