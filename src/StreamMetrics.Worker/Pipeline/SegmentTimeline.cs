using StreamMetrics.Core.Segments;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>
/// The segment figures partitions produce as their periods close, kept for the live view: each partition's last
/// periods, so that a sum over partitions takes one period from all of them. Safe to use from any thread.
/// </summary>
public sealed class SegmentTimeline
{
    // Partitions close periods within moments of each other unless one is idle; a week of periods covers that.
    private const int PeriodsKept = 7;
    private readonly Lock _lock = new();
    private readonly Dictionary<int, SortedList<DateTimeOffset, IReadOnlyList<SegmentFigures>>> _periods = new();

    /// <summary>Keeps a partition's figures per period; a period evaluated again (the final snapshot of a bounded run) replaces its figures.</summary>
    public void Record(int partition, IReadOnlyList<SegmentFigures> figures)
    {
        lock (_lock)
        {
            if (!_periods.TryGetValue(partition, out var periods)) _periods.Add(partition, periods = new SortedList<DateTimeOffset, IReadOnlyList<SegmentFigures>>());
            foreach (var period in figures.GroupBy(f => f.PeriodStart)) periods[period.Key] = [.. period];
            while (periods.Count > PeriodsKept) periods.RemoveAt(0);
        }
    }

    /// <summary>
    /// The segments of the newest period that every one of <paramref name="partitions"/> with figures has closed, summed
    /// over them and ranked by CLV (<see cref="SegmentValue.RankByClv"/>); null when there is no such period.
    /// </summary>
    public SegmentRanking? MostValuable(IReadOnlyCollection<int> partitions)
    {
        lock (_lock)
        {
            var reported = partitions.Where(_periods.ContainsKey).Select(p => _periods[p]).ToList();
            if (reported.Count == 0) return null;
            var common = reported[0].Keys.Where(period => reported.All(periods => periods.ContainsKey(period))).ToList();
            if (common.Count == 0) return null;
            var newest = common[^1];
            return new SegmentRanking(newest, SegmentValue.RankByClv(reported.SelectMany(periods => periods[newest])));
        }
    }
}

/// <summary>The segments of one closed period, most valuable first.</summary>
public sealed record SegmentRanking(DateTimeOffset PeriodStart, IReadOnlyList<SegmentValue> ByClv);
