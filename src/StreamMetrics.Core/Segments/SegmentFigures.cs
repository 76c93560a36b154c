using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Profiles;

namespace StreamMetrics.Core.Segments;

/// <summary>
/// One segment's figures in one partition and period, the fields of a <c>segment_metrics</c> point:
/// totals are sums over partitions, and rates (churn rate = churned / customers) come from the sums.
/// </summary>
public sealed record SegmentFigures(string Scheme, string Segment, DateTimeOffset PeriodStart)
{
    public long Customers { get; private set; }

    public long ActiveCustomers { get; private set; }

    public long Orders { get; private set; }

    public decimal Revenue { get; private set; }

    public long AtRisk { get; private set; }

    public long Churned { get; private set; }

    public long NewCustomers { get; private set; }

    public long Reactivated { get; private set; }

    /// <summary>The members' lifetime net revenue (purchases less refunds), summed.</summary>
    public decimal RevenueTotal { get; private set; }

    /// <summary>
    /// The members' <c>clv_12m</c>, summed. A member without one (no purchase and spend model fitted yet, or a
    /// value InfluxDB cannot store, which its <c>customer_metrics</c> point leaves out) adds 0.
    /// </summary>
    public double Clv12m { get; private set; }

    /// <summary>
    /// Sums contributions by scheme (rfm, region, channel, and each attribute of <paramref name="profiles"/>)
    /// and segment; a customer's attribute segments are those of its newest profile at the time of the sum.
    /// </summary>
    public static IReadOnlyList<SegmentFigures> Sum(IEnumerable<SegmentContribution> contributions, DateTimeOffset periodStart, ProfileTable? profiles = null)
    {
        var figures = new Dictionary<(string, string), SegmentFigures>();
        // In customer order, not the order customers answered in: a sum of doubles depends on its order, and the points must not.
        foreach (var c in contributions.OrderBy(c => c.CustomerId, StringComparer.Ordinal))
        {
            Add("rfm", c.RfmSegment, c);
            Add("region", c.Region ?? ProfileTable.Unknown, c);
            Add("channel", c.Channel ?? ProfileTable.Unknown, c);
            if (profiles is null) continue;
            var segments = profiles.SegmentsOf(c.CustomerId);
            for (var i = 0; i < segments.Count; i++) Add(profiles.Attributes[i], segments[i], c);
        }
        return [.. figures.Values.OrderBy(f => f.Scheme, StringComparer.Ordinal).ThenBy(f => f.Segment, StringComparer.Ordinal)];

        void Add(string scheme, string segment, SegmentContribution c)
        {
            if (!figures.TryGetValue((scheme, segment), out var f)) figures.Add((scheme, segment), f = new SegmentFigures(scheme, segment, periodStart));
            f.Customers++;
            if (c.Orders > 0) f.ActiveCustomers++;
            f.Orders += c.Orders;
            f.Revenue += c.Revenue;
            if (c.State == ChurnState.AtRisk) f.AtRisk++;
            if (c.State == ChurnState.Churned) f.Churned++;
            if (c.BecameNew) f.NewCustomers++;
            if (c.Reactivated) f.Reactivated++;
            f.RevenueTotal += c.RevenueTotal;
            if (c.Clv12m is { } clv && double.IsFinite(clv)) f.Clv12m += clv;
        }
    }
}
