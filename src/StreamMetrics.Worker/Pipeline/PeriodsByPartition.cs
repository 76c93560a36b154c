namespace StreamMetrics.Worker.Pipeline;

/// <summary>
/// What each partition produced for its last closed periods, and which periods every partition with data has
/// closed: a sum over partitions takes only those, so that none misses a partition that is merely behind.
/// Not thread-safe; its owners lock around it.
/// </summary>
internal sealed class PeriodsByPartition<T>(int periodsKept)
{
    private readonly Dictionary<int, SortedList<DateTimeOffset, T>> _periods = new();

    /// <summary>Keeps a partition's figures of a period; a period evaluated again replaces them.</summary>
    public void Record(int partition, DateTimeOffset periodStart, T figures)
    {
        if (!_periods.TryGetValue(partition, out var periods)) _periods.Add(partition, periods = new SortedList<DateTimeOffset, T>());
        periods[periodStart] = figures;
        while (periods.Count > periodsKept) periods.RemoveAt(0);
    }

    /// <summary>The periods, oldest first, that every one of <paramref name="partitions"/> with data has closed, with each one's figures.</summary>
    public IEnumerable<(DateTimeOffset PeriodStart, IReadOnlyList<T> ByPartition)> Common(IReadOnlyCollection<int> partitions)
    {
        var reported = partitions.Where(_periods.ContainsKey).Select(p => _periods[p]).ToList();
        if (reported.Count == 0) return [];
        return reported[0].Keys
            .Where(period => reported.All(periods => periods.ContainsKey(period)))
            .Select(period => (period, (IReadOnlyList<T>)[.. reported.Select(periods => periods[period])]))
            .ToList();
    }
}
