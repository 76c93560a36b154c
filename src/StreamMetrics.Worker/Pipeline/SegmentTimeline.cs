using StreamMetrics.Core.Segments;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>
/// The segment figures partitions produce as their periods close, kept for the live view: each partition's last
/// periods, so that a sum over partitions takes one period from all of them. Safe to use from any thread.
/// </summary>
public sealed class SegmentTimeline
{
    // Partitions close periods within moments of each other unless one is idle; a week of periods covers that.
    private readonly Lock _lock = new();
    private readonly PeriodsByPartition<IReadOnlyList<SegmentFigures>> _periods = new(periodsKept: 7);

    /// <summary>Keeps a partition's figures per period; a period evaluated again (the final snapshot of a bounded run) replaces its figures.</summary>
    public void Record(int partition, IReadOnlyList<SegmentFigures> figures)
    {
        lock (_lock)
            foreach (var period in figures.GroupBy(f => f.PeriodStart)) _periods.Record(partition, period.Key, [.. period]);
    }

    /// <summary>
    /// The segments of the newest period that every one of <paramref name="partitions"/> with figures has closed, summed
    /// over them and ranked by CLV (<see cref="SegmentValue.RankByClv"/>); null when there is no such period.
    /// </summary>
    public SegmentRanking? MostValuable(IReadOnlyCollection<int> partitions)
    {
        lock (_lock)
        {
            var common = _periods.Common(partitions).ToList();
            if (common.Count == 0) return null;
            var (newest, byPartition) = common[^1];
            return new SegmentRanking(newest, SegmentValue.RankByClv(byPartition.SelectMany(figures => figures)));
        }
    }
}

/// <summary>The segments of one closed period, most valuable first.</summary>
public sealed record SegmentRanking(DateTimeOffset PeriodStart, IReadOnlyList<SegmentValue> ByClv);
