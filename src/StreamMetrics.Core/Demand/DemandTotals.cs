using StreamMetrics.Core.Time;

namespace StreamMetrics.Core.Demand;

/// <summary>
/// The sum over orders partitions of each key's demand per period, as the worker that owns the key
/// sees the partials arrive: a partial replaces the one before from the same source partition.
/// </summary>
public sealed class DemandTotals
{
    private readonly Dictionary<(DemandKey Key, long Period), Dictionary<int, DemandFigures>> _partials = new();

    private long _firstKept = long.MinValue;

    public int Count => _partials.Count;

    /// <summary>Takes a partial in; returns the key's total for the period before and after it, or null when nothing changed.</summary>
    /// <remarks>A partial of a forgotten period changes nothing: its sum is final, and no orders partition sends one.</remarks>
    public (DemandFigures Previous, DemandFigures Total)? Apply(DemandPartial partial)
    {
        if (partial.Period < _firstKept) return null;
        if (!_partials.TryGetValue((partial.Key, partial.Period), out var bySource))
            _partials.Add((partial.Key, partial.Period), bySource = new Dictionary<int, DemandFigures>());
        var known = bySource.GetValueOrDefault(partial.SourcePartition);
        if (bySource.ContainsKey(partial.SourcePartition) && known == partial.Figures) return null;
        var previous = default(DemandFigures);
        foreach (var figures in bySource.Values) previous += figures;
        bySource[partial.SourcePartition] = partial.Figures;
        return (previous, previous + partial.Figures + new DemandFigures(-known.Units, -known.Orders, -known.Revenue));
    }

    /// <summary>
    /// Forgets the periods no partial can change any more: every orders partition keeps a period's demand for
    /// <paramref name="retention"/> (<c>Metrics:OrderIdRetention</c>) behind its first open period, and sends
    /// nothing for it after that, so nothing arrives for a period that far behind the smallest of them,
    /// <paramref name="firstOpenPeriod"/>.
    /// </summary>
    public void ForgetFinal(long firstOpenPeriod, PeriodWindows periods, TimeSpan retention)
    {
        var firstKept = periods.IndexOf(periods.StartOf(firstOpenPeriod) - retention);
        if (firstKept <= _firstKept) return;
        _firstKept = firstKept;
        foreach (var entry in _partials.Keys.Where(k => k.Period < firstKept).ToList()) _partials.Remove(entry);
    }
}
