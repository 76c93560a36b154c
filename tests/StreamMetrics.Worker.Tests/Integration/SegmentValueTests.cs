using Xunit.Abstractions;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>
/// Issue 16, point 5, on the shared Online Retail run (<see cref="OnlineRetailRun"/>), read from InfluxDB as a user
/// would: each segment's <c>revenue_total</c> and <c>clv_12m</c> in the last closed period, summed over partitions, are
/// its members' <c>customer_metrics</c> figures at the period's end summed; and the README's ranking by CLV answers that.
/// </summary>
[Collection(nameof(ServersCollection))]
public sealed class SegmentValueTests(ServersFixture servers, ITestOutputHelper output)
{
    private const string Database = OnlineRetailRun.Database;
    private static readonly DateTimeOffset LastClosedPeriod = DateTimeOffset.Parse("2011-12-09T00:00:00Z");

    /// <summary>One segment's figures: members, lifetime net revenue and 12-month CLV.</summary>
    private sealed record SegmentSums(long Customers, double RevenueTotal, double Clv12m);

    [Fact]
    public async Task In_the_last_closed_period_each_rfm_segments_revenue_and_clv_summed_over_partitions_are_its_customers_summed()
    {
        await RunAsync();
        var members = await MembersAsync();
        var segments = await SegmentsAsync("rfm");
        output.WriteLine(string.Join("\n", segments.OrderByDescending(s => s.Value.Clv12m).Select(s => $"{s.Key}: segment_metrics {s.Value}, customers {members[s.Key]}")));

        Assert.Equal(members.Keys.Order(StringComparer.Ordinal), segments.Keys.Order(StringComparer.Ordinal));
        foreach (var (segment, expected) in members)
        {
            var actual = segments[segment];
            Assert.Equal(expected.Customers, actual.Customers);
            AssertClose(expected.RevenueTotal, actual.RevenueTotal, $"{segment} revenue_total");
            AssertClose(expected.Clv12m, actual.Clv12m, $"{segment} clv_12m");
        }
        // The model was fitted, or every clv_12m would be 0 and the sums agree for nothing.
        Assert.True(members.Values.Count(m => m.Clv12m > 0) >= 10, "fewer than ten rfm segments have a CLV");
    }

    /// <summary>Every scheme divides the same customers: its segments' figures add up to all customers' at the period's end.</summary>
    [Fact]
    public async Task Every_schemes_segments_add_up_to_the_revenue_and_clv_of_all_customers()
    {
        await RunAsync();
        var members = await MembersAsync();
        var all = new SegmentSums(members.Values.Sum(m => m.Customers), members.Values.Sum(m => m.RevenueTotal), members.Values.Sum(m => m.Clv12m));
        output.WriteLine($"all customers at {LastClosedPeriod.AddDays(1):O}: {all}");
        foreach (var scheme in new[] { "rfm", "region", "channel" })
        {
            var segments = (await SegmentsAsync(scheme)).Values.ToList();
            Assert.Equal(all.Customers, segments.Sum(s => s.Customers));
            AssertClose(all.RevenueTotal, segments.Sum(s => s.RevenueTotal), $"{scheme} revenue_total");
            AssertClose(all.Clv12m, segments.Sum(s => s.Clv12m), $"{scheme} clv_12m");
        }
    }

    [Fact]
    public async Task The_READMEs_ranking_by_clv_lists_the_rfm_segments_of_the_last_closed_period_most_valuable_first()
    {
        await RunAsync();
        var statement = Assert.Single(ReadmeQueries.Read()["segments-by-clv"]);
        output.WriteLine($"> {statement}");
        var rows = Assert.Single(await InfluxAnswer.QueryAsync(servers.Influx, Database, statement)).Rows;
        output.WriteLine(string.Join("\n", rows));
        var expected = (await MembersAsync()).OrderByDescending(m => m.Value.Clv12m).ToList();

        Assert.Equal(expected.Select(m => m.Key), rows.Select(r => r.Text("segment")));
        foreach (var (row, (segment, sums)) in rows.Zip(expected))
        {
            Assert.Equal((LastClosedPeriod, sums.Customers), (row.Time, row.Integer("customers")));
            AssertClose(sums.RevenueTotal, row.Number("revenue_total"), $"{segment} revenue_total");
            AssertClose(sums.Clv12m, row.Number("clv_12m"), $"{segment} clv_12m");
        }
    }

    /// <summary>
    /// Each rfm segment's customers at the end of the last closed period, from their customer_metrics points there; a
    /// customer whose point has no clv_12m (no fitted model) adds 0, as it does to its segments.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, SegmentSums>> MembersAsync()
    {
        var rows = await InfluxAnswer.RowsAsync(servers.Influx, Database,
            $"SELECT segment, revenue_total, clv_12m FROM customer_metrics WHERE time = '{Literal(LastClosedPeriod.AddDays(1))}'");
        Assert.Equal(OnlineRetailCsv.PerCustomer().Count, rows.Count);
        return rows.GroupBy(r => r.Text("segment")).ToDictionary(g => g.Key, g => new SegmentSums(
            g.Count(), g.Sum(r => r.Number("revenue_total")), g.Sum(r => r.Has("clv_12m") ? r.Number("clv_12m") : 0)));
    }

    /// <summary>A scheme's segment_metrics points of the last closed period, summed here over partitions.</summary>
    private async Task<IReadOnlyDictionary<string, SegmentSums>> SegmentsAsync(string scheme)
    {
        var series = await InfluxAnswer.QueryAsync(servers.Influx, Database,
            $"SELECT customers, revenue_total, clv_12m FROM segment_metrics WHERE scheme = '{scheme}' AND time = '{Literal(LastClosedPeriod)}' GROUP BY segment, partition");
        Assert.NotEmpty(series);
        return series.GroupBy(s => s.Tags["segment"]).ToDictionary(g => g.Key, g =>
        {
            var rows = g.Select(s => Assert.Single(s.Rows)).ToList();
            return new SegmentSums(rows.Sum(r => r.Integer("customers")), rows.Sum(r => r.Number("revenue_total")), rows.Sum(r => r.Number("clv_12m")));
        });
    }

    private static string Literal(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Sums of thousands of doubles (and of decimals made doubles), added in another order: equal within 1e-9 of their size.</summary>
    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");

    private async Task RunAsync()
    {
        var run = await OnlineRetailRun.EndTimeRunAsync(servers);
        Assert.True(run.ExitCode == 0, run.Stderr);
    }
}
