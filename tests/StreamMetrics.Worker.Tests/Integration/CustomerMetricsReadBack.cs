using StreamMetrics.Testing;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>
/// customer_metrics and segment_metrics read back point by point, so that a test can compute in C# what
/// an InfluxQL aggregate should answer.
/// </summary>
public static class CustomerMetricsReadBack
{
    /// <summary>A customer's point at one timestamp: its segment, churn state, RFM scores (none without a purchase) and totals.</summary>
    public sealed record CustomerPoint(string Segment, string ChurnState, (int R, int F, int M)? Rfm, long OrdersTotal, double RevenueTotal);

    /// <summary>A customer's latest point, with the fields the README's questions read.</summary>
    public sealed record LatestPoint(DateTimeOffset Time, string ChurnState, string Segment, double RevenueTotal, long OrdersTotal, double DaysSinceLastOrder);

    /// <summary>
    /// Every customer's point at <paramref name="at"/>. Grouped by every tag, so that a customer with a
    /// second series there (a tag beside customer_id) or a second point fails.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, CustomerPoint>> AtAsync(InfluxdServer influx, string database, DateTimeOffset at)
    {
        var answer = await InfluxAnswer.QueryAsync(influx, database,
            $"SELECT segment, churn_state, rfm_r, rfm_f, rfm_m, orders_total, revenue_total FROM customer_metrics WHERE time = '{Literal(at)}' GROUP BY *");
        var points = new Dictionary<string, CustomerPoint>(StringComparer.Ordinal);
        foreach (var series in answer)
        {
            Assert.Equal(["customer_id"], series.Tags.Where(t => t.Value.Length > 0).Select(t => t.Key));
            var row = Assert.Single(series.Rows);
            (int, int, int)? rfm = row.Has("rfm_r") ? ((int)row.Integer("rfm_r"), (int)row.Integer("rfm_f"), (int)row.Integer("rfm_m")) : null;
            Assert.True(points.TryAdd(series.Tags["customer_id"],
                new CustomerPoint(row.Text("segment"), row.Text("churn_state"), rfm, row.Integer("orders_total"), row.Number("revenue_total"))),
                $"customer {series.Tags["customer_id"]} has two series at {at:O}");
        }
        return points;
    }

    /// <summary>Every customer's latest point, picked here from all of its points.</summary>
    public static async Task<IReadOnlyDictionary<string, LatestPoint>> LatestAsync(InfluxdServer influx, string database)
    {
        var answer = await InfluxAnswer.QueryAsync(influx, database,
            "SELECT churn_state, segment, revenue_total, orders_total, days_since_last_order FROM customer_metrics GROUP BY customer_id");
        return answer.ToDictionary(s => s.Tags["customer_id"], s =>
        {
            var row = s.Rows.MaxBy(r => r.Time)!;
            return new LatestPoint(row.Time, row.Text("churn_state"), row.Text("segment"), row.Number("revenue_total"), row.Integer("orders_total"),
                row.Has("days_since_last_order") ? row.Number("days_since_last_order") : double.NaN);
        });
    }

    /// <summary>The rfm scheme's at_risk, churned and customers of one period, summed here over segments and partitions.</summary>
    public static async Task<(long AtRisk, long Churned, long Customers)> SegmentSumsAsync(InfluxdServer influx, string database, DateTimeOffset period)
    {
        var rows = await InfluxAnswer.RowsAsync(influx, database,
            $"SELECT at_risk, churned, customers FROM segment_metrics WHERE scheme = 'rfm' AND time = '{Literal(period)}'");
        Assert.True(rows.Count > 0, $"no segment_metrics point of the rfm scheme at {period:O}");
        return (rows.Sum(r => r.Integer("at_risk")), rows.Sum(r => r.Integer("churned")), rows.Sum(r => r.Integer("customers")));
    }

    private static string Literal(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
}
