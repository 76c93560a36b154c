namespace StreamMetrics.Core.Segments;

/// <summary>What a segment's members are worth in one period, over all partitions: how many, their lifetime net revenue and their 12-month CLV.</summary>
public sealed record SegmentValue(string Scheme, string Segment, long Customers, decimal RevenueTotal, double Clv12m)
{
    /// <summary>
    /// Sums one period's figures of each segment over the partitions that wrote them, and ranks the segments of every
    /// scheme by CLV, most valuable first; ties by scheme and segment, so that the answer is always the same.
    /// </summary>
    public static IReadOnlyList<SegmentValue> RankByClv(IEnumerable<SegmentFigures> figures) =>
        figures.GroupBy(f => (f.Scheme, f.Segment))
            .Select(g => new SegmentValue(g.Key.Scheme, g.Key.Segment, g.Sum(f => f.Customers), g.Sum(f => f.RevenueTotal), g.Sum(f => f.Clv12m)))
            .OrderByDescending(v => v.Clv12m).ThenBy(v => v.Scheme, StringComparer.Ordinal).ThenBy(v => v.Segment, StringComparer.Ordinal)
            .ToList();
}
