namespace StreamMetrics.Core.Demand;

/// <summary>
/// The sum over orders partitions of each key's demand per period, as the worker that owns the key
/// sees the partials arrive: a partial replaces the one before from the same source partition.
/// </summary>
public sealed class DemandTotals
{
    private readonly Dictionary<(DemandKey Key, long Period), Dictionary<int, DemandFigures>> _partials = new();

    public int Count => _partials.Count;

    /// <summary>Takes a partial in; returns the key's total for the period before and after it, or null when nothing changed.</summary>
    public (DemandFigures Previous, DemandFigures Total)? Apply(DemandPartial partial)
    {
        if (!_partials.TryGetValue((partial.Key, partial.Period), out var bySource))
            _partials.Add((partial.Key, partial.Period), bySource = new Dictionary<int, DemandFigures>());
        var known = bySource.GetValueOrDefault(partial.SourcePartition);
        if (bySource.ContainsKey(partial.SourcePartition) && known == partial.Figures) return null;
        var previous = default(DemandFigures);
        foreach (var figures in bySource.Values) previous += figures;
        bySource[partial.SourcePartition] = partial.Figures;
        return (previous, previous + partial.Figures + new DemandFigures(-known.Units, -known.Orders, -known.Revenue));
    }

    /// <summary>Forgets the periods before <paramref name="firstKept"/>: no partial for them can arrive any more.</summary>
    public void Forget(long firstKept)
    {
        foreach (var entry in _partials.Keys.Where(k => k.Period < firstKept).ToList()) _partials.Remove(entry);
    }
}
