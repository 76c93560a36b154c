using StreamMetrics.Kafka;
using StreamMetrics.Kafka.Source;
using Xunit.Abstractions;
using static StreamMetrics.Worker.Tests.Integration.CustomerMetricsReadBack;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>
/// The README's "Asking InfluxDB" statements, read from README.md and run as written on the Online Retail
/// run the end-to-end test makes (<see cref="OnlineRetailRun"/>), each answer checked against an
/// independent computation; and the final snapshot of a bounded run (issue 14, point 3): one point per
/// customer, agreeing with the segment sums and with an RFM reference computed from the CSV.
/// </summary>
[Collection(nameof(ServersCollection))]
public sealed class AskingInfluxTests(ServersFixture servers, ITestOutputHelper output)
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(5);
    private static readonly DateTimeOffset FinalSnapshot = DateTimeOffset.Parse("2011-12-10T00:00:00Z");
    private static readonly DateTimeOffset LastClosedPeriod = DateTimeOffset.Parse("2011-12-09T00:00:00Z");
    private static readonly DateTimeOffset LastClosedDay = DateTimeOffset.Parse("2011-12-09T00:00:00Z");
    private const int Customers = 4_372;
    private const string Database = OnlineRetailRun.Database;

    [Fact]
    public void The_README_marks_a_block_of_InfluxQL_for_every_question()
    {
        Assert.Equal(
        [
            "at-risk-and-churned-in-the-last-period", "at-risk-and-churned-now", "busiest-region-forecast-next-14-days",
            "busiest-region-last-14-days", "busiest-region-units-per-day", "churn-rate-per-rfm-segment", "customers-per-age-band", "find-final-snapshot",
            "find-last-closed-day", "find-last-closed-period", "lag-per-partition", "segments-by-clv", "top-ten-at-risk-by-revenue",
        ], ReadmeQueries.Read().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_README_time_literals_are_what_its_statements_for_finding_them_answer()
    {
        await RunAsync();
        Assert.Equal(FinalSnapshot, (await OneRowAsync("find-final-snapshot")).Time);
        Assert.Equal(LastClosedPeriod, (await OneRowAsync("find-last-closed-period")).Time);
        Assert.Equal(LastClosedDay.AddDays(1), (await OneRowAsync("find-last-closed-day")).Time);
    }

    [Fact]
    public async Task At_risk_and_churned_now_count_the_customers_latest_points_and_equal_the_last_periods_segment_sums()
    {
        await RunAsync();
        var statements = Statements("at-risk-and-churned-now");
        Assert.Equal(2, statements.Count);
        var atRisk = OneRow(await AskAsync(statements[0])).Integer("at_risk");
        var churned = OneRow(await AskAsync(statements[1])).Integer("churned");
        var latest = await LatestAsync(servers.Influx, Database);
        var sums = await SegmentSumsAsync(servers.Influx, Database, LastClosedPeriod);
        output.WriteLine($"at risk now {atRisk}, churned now {churned}; the last period's segment_metrics sum to {sums}");

        Assert.Equal(Customers, latest.Count);
        Assert.Equal(latest.Values.Count(p => p.ChurnState == "at_risk"), atRisk);
        Assert.Equal(latest.Values.Count(p => p.ChurnState == "churned"), churned);
        Assert.Equal((atRisk, churned, Customers), sums);
        var lastPeriod = await OneRowAsync("at-risk-and-churned-in-the-last-period");
        Assert.Equal(LastClosedPeriod, lastPeriod.Time);
        Assert.Equal(sums, (lastPeriod.Integer("at_risk"), lastPeriod.Integer("churned"), lastPeriod.Integer("customers")));
    }

    [Fact]
    public async Task The_ten_at_risk_with_the_highest_revenue_are_the_top_of_every_customers_latest_point()
    {
        await RunAsync();
        var rows = Rows(await AskAsync(Statement("top-ten-at-risk-by-revenue")));
        output.WriteLine(string.Join("\n", rows));
        var latest = await LatestAsync(servers.Influx, Database);
        var expected = latest.Where(p => p.Value.ChurnState == "at_risk")
            .OrderByDescending(p => p.Value.RevenueTotal).ThenBy(p => p.Key, StringComparer.Ordinal).Take(11).ToList();
        Assert.True(expected[9].Value.RevenueTotal > expected[10].Value.RevenueTotal, "a tie at the tenth place: the ten are not unique");
        // All latest points are at the final snapshot, so top() lists them highest first.
        Assert.Equal(expected.Take(10).Select(p => (p.Key, p.Value.RevenueTotal)), rows.Select(r => (r.Text("customer_id"), r.Number("revenue_total"))));
        foreach (var row in rows)
        {
            var point = latest[row.Text("customer_id")];
            Assert.Equal((FinalSnapshot, point.OrdersTotal, point.DaysSinceLastOrder, point.Segment),
                (row.Time, row.Integer("orders_total"), row.Number("days_since_last_order"), row.Text("segment")));
        }
    }

    /// <summary>
    /// A segment_metrics point of a period counts the states evaluated when the period closed, which the
    /// customer_metrics points at the period's end hold.
    /// </summary>
    [Fact]
    public async Task Churn_rate_per_RFM_segment_is_that_of_the_customers_points_at_the_end_of_the_last_closed_period()
    {
        await RunAsync();
        var answer = (await AskAsync(Statement("churn-rate-per-rfm-segment"))).Answer;
        var actual = answer.ToDictionary(s => s.Tags["segment"], s => Assert.Single(s.Rows));
        output.WriteLine(string.Join("\n", actual.Select(a => $"{a.Key} {a.Value}")));
        var expected = (await AtAsync(servers.Influx, Database, LastClosedPeriod.AddDays(1))).Values.GroupBy(p => p.Segment)
            .ToDictionary(g => g.Key, g => (Churned: (long)g.Count(p => p.ChurnState == "churned"), Customers: (long)g.Count()));
        Assert.Equal(Customers, expected.Values.Sum(e => e.Customers));
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (segment, (churned, customers)) in expected)
        {
            var row = actual[segment];
            Assert.Equal((LastClosedPeriod, churned, customers), (row.Time, row.Integer("churned"), row.Integer("customers")));
            Assert.Equal((double)churned / customers, row.Number("churn_rate"), 1e-12);
        }
    }

    /// <summary>Online Retail has no profiles: every customer is in the age band unknown, with the churned of every RFM segment.</summary>
    [Fact]
    public async Task Without_profiles_every_customer_is_in_the_age_band_unknown()
    {
        await RunAsync();
        var answer = (await AskAsync(Statement("customers-per-age-band"))).Answer;

        var unknown = Assert.Single(Assert.Single(answer, s => s.Tags["segment"] == "unknown").Rows);
        Assert.Single(answer);
        var rfm = await SegmentSumsAsync(servers.Influx, Database, LastClosedPeriod);
        Assert.Equal((rfm.Customers, rfm.Churned), (unknown.Integer("customers"), unknown.Integer("churned")));
        Assert.Equal(Customers, rfm.Customers);
    }

    [Fact]
    public async Task The_busiest_regions_units_per_day_over_the_last_14_days_equal_the_CSV()
    {
        await RunAsync();
        var days = Enumerable.Range(0, 14).Select(d => LastClosedDay.UtcDateTime.AddDays(d - 13)).ToList();
        var csv = OnlineRetailCsv.DemandPerDay();
        var perRegion = csv.Where(e => e.Key.Level == "region" && days.Contains(e.Key.Day)).GroupBy(e => e.Key.Key)
            .Select(g => (Region: g.Key, Units: g.Sum(e => e.Value.Units))).OrderByDescending(r => r.Units).ToList();
        var busiest = OneRow(await AskAsync(Statement("busiest-region-last-14-days")));
        output.WriteLine($"busiest region {busiest}; from the CSV {string.Join(", ", perRegion.Take(3))}");
        Assert.True(perRegion[0].Units > perRegion[1].Units);
        Assert.Equal(perRegion[0], (busiest.Text("region"), busiest.Integer("units")));

        var rows = Rows(await AskAsync(Statement("busiest-region-units-per-day")));
        output.WriteLine(string.Join("\n", rows));
        Assert.Contains($"region = '{perRegion[0].Region}'", Statement("busiest-region-units-per-day"));
        Assert.Equal(days, rows.Select(r => r.Time.UtcDateTime));
        Assert.Equal(days.Select(d => csv.TryGetValue(("region", perRegion[0].Region, d), out var units) ? units.Units : 0), rows.Select(r => r.Integer("units")));
    }

    /// <summary>The forecast made when the last day D closed: for each horizon h, the raw point of that series at D + h.</summary>
    [Fact]
    public async Task The_busiest_regions_forecast_is_the_one_made_when_the_last_day_closed_for_each_of_the_next_14_days()
    {
        await RunAsync();
        var statement = Statement("busiest-region-forecast-next-14-days");
        Assert.Contains("region = 'United Kingdom'", statement);
        var rows = Rows(await AskAsync(statement));
        output.WriteLine(string.Join("\n", rows));
        var raw = await InfluxAnswer.QueryAsync(servers.Influx, Database,
            "SELECT forecast, lower, upper FROM demand_forecast WHERE level = 'region' AND region = 'United Kingdom' GROUP BY horizon");
        Assert.Equal(Enumerable.Range(1, 14), rows.Select(r => int.Parse(r.Text("horizon"))).Order());
        foreach (var row in rows)
        {
            var horizon = row.Text("horizon");
            Assert.Equal(LastClosedDay.AddDays(int.Parse(horizon)), row.Time);
            var made = Assert.Single(raw.Single(s => s.Tags["horizon"] == horizon).Rows, r => r.Time == row.Time);
            Assert.Equal((made.Number("forecast"), made.Number("lower"), made.Number("upper")), (row.Number("forecast"), row.Number("lower"), row.Number("upper")));
            Assert.True(row.Number("lower") <= row.Number("forecast") && row.Number("forecast") <= row.Number("upper"), $"{row}");
        }
    }

    [Fact]
    public async Task Lag_per_partition_after_a_caught_up_run_is_what_Kafkas_end_and_committed_offsets_give_zero()
    {
        var run = await RunAsync();
        // pipeline points carry the wall clock: the README asks for the last minute, and this run may be older than that.
        var statement = Statement("lag-per-partition");
        Assert.Contains("now() - 1m", statement);
        var answer = (await AskAsync(statement.Replace("now() - 1m", $"'{run.Started.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}'"))).Answer;
        var bootstrap = servers.Kafka.BootstrapServers;
        var (ends, committed) = await Task.Run(() =>
        {
            var ends = KafkaTopicInfo.EndOffsets(new KafkaClientSettings(bootstrap), OnlineRetailRun.Topic, TimeSpan.FromSeconds(10));
            return (ends, KafkaTopicInfo.CommittedOrStart(new KafkaClientSettings(bootstrap), OnlineRetailRun.Topic, OnlineRetailRun.GroupId, ends.Keys, TimeSpan.FromSeconds(10)));
        });
        var lag = answer.ToDictionary(s => int.Parse(s.Tags["partition"]), s => Assert.Single(s.Rows));
        output.WriteLine($"the run exited at {run.Ended:HH:mm:ss.fff}; lag per partition: " +
            string.Join(", ", lag.OrderBy(l => l.Key).Select(l => $"{l.Key}: {l.Value.Integer("lag")} records, {l.Value.Number("lag_seconds")} s at {l.Value.Time:HH:mm:ss.fff}")));
        Assert.Equal(ends.Keys.Order(), lag.Keys.Order());
        Assert.All(ends, end => Assert.Equal(end.Value, committed[end.Key]));
        // After its final commit the worker reads the lag anew for its last point; a point written before that would show the lag from before the commit.
        var stale = lag.Where(l => l.Value.Integer("lag") != ends[l.Key] - committed[l.Key] || l.Value.Number("lag_seconds") != 0).ToList();
        Assert.True(stale.Count == 0, $"the group has committed every end offset, but the last pipeline point of {stale.Count} partitions says otherwise: " +
            string.Join("; ", stale.Select(l => $"{l.Key}: {l.Value}")));
    }

    [Fact]
    public async Task After_the_run_with_end_time_every_customer_has_one_final_point_agreeing_with_the_segment_sums_and_the_RFM_reference()
    {
        await RunAsync();
        await AssertFinalSnapshotAsync(Database);
    }

    [Fact]
    public async Task A_bounded_run_without_end_time_ends_with_the_same_final_snapshot_as_one_with_end_time()
    {
        const string database = "retail_open";
        await OnlineRetailRun.ReplayedAsync(servers);
        await servers.Influx.CreateDatabaseAsync(database);
        var open = await WorkerProcess.RunAsync(["run", "--until-caught-up", .. servers.WorkerSettings(OnlineRetailRun.Topic, "retail-open", database)],
            ProcessTimeout);
        Assert.True(open.ExitCode == 0, open.Stderr);
        var withoutEndTime = await AssertFinalSnapshotAsync(database);

        await RunAsync();
        var withEndTime = await AtAsync(servers.Influx, Database, FinalSnapshot);
        var differing = withEndTime.Keys.Where(c => withoutEndTime[c] != withEndTime[c]).ToList();
        Assert.True(differing.Count == 0, $"{differing.Count} customers' final points differ, e.g. " +
            string.Join("; ", differing.Take(5).Select(c => $"{c}: with --end-time {withEndTime[c]}, without {withoutEndTime[c]}")));
    }

    /// <summary>
    /// Issue 14, point 3: every customer has exactly one customer_metrics point at the final snapshot, the
    /// at-risk and churned counts of those points are the sums of the last closed period's segment_metrics,
    /// and every customer's RFM scores and segment equal the reference computed from the CSV.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, CustomerPoint>> AssertFinalSnapshotAsync(string database)
    {
        const string newest = "SELECT last(orders_total) FROM customer_metrics";
        var final = OneRow(new Asked(newest, await InfluxAnswer.QueryAsync(servers.Influx, database, newest))).Time;
        output.WriteLine($"{database}: final customer_metrics timestamp {final:O}");
        var points = await AtAsync(servers.Influx, database, final);
        var reference = RfmReference.At(FinalSnapshot);
        Assert.Equal(Customers, reference.Count);
        Assert.Equal(reference.Keys.Order(StringComparer.Ordinal), points.Keys.Order(StringComparer.Ordinal));

        var sums = await SegmentSumsAsync(servers.Influx, database, final.AddDays(-1));
        var counted = (AtRisk: (long)points.Values.Count(p => p.ChurnState == "at_risk"), Churned: (long)points.Values.Count(p => p.ChurnState == "churned"));
        output.WriteLine($"{database}: at risk {counted.AtRisk}, churned {counted.Churned} in the final points; the period before sums to {sums}");
        Assert.Equal((counted.AtRisk, counted.Churned, (long)Customers), sums);

        Assert.Equal(FinalSnapshot, final);
        var wrong = reference.Where(r => (r.Value.Scores, r.Value.Segment) != (points[r.Key].Rfm, points[r.Key].Segment)).ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {Customers} customers differ from the RFM reference, e.g. " +
            string.Join("; ", wrong.Take(5).Select(w => $"{w.Key}: reference {w.Value}, read back {points[w.Key]}")));
        return points;
    }

    /// <summary>
    /// Issue 16's churn acceptance through the live path, on the shared run instead of another replay: each customer's
    /// latest point at or before 2011-09-10 holds its state as the partition evaluated it at that period start (a point
    /// is written whenever the state changes), under the partition's own fit. Against no purchase in the 90 days after
    /// (from the CSV), the repeat buyers flagged at risk or churned reach F1 ≥ 0.45, as <c>backtest --churn</c> does
    /// under the whole population's fit (ChurnBacktestTests).
    /// </summary>
    [Fact]
    public async Task At_2011_09_10_the_repeat_buyers_at_risk_or_churned_are_those_who_buy_nothing_in_the_next_90_days()
    {
        await RunAsync();
        var cut = new DateTime(2011, 9, 10, 0, 0, 0, DateTimeKind.Utc);
        var answer = await InfluxAnswer.QueryAsync(servers.Influx, Database,
            "SELECT churn_state, p_alive, p_no_order_90d FROM customer_metrics WHERE time <= '2011-09-10T00:00:00Z' GROUP BY customer_id");
        var states = answer.ToDictionary(s => s.Tags["customer_id"], s => s.Rows.MaxBy(r => r.Time)!);
        var purchases = OnlineRetailCsv.PurchaseTimes();
        var repeatBuyers = purchases.Where(p => p.Value.Where(t => t < cut).Select(t => t.Date).Distinct().Count() >= 2)
            .Select(p => (Customer: p.Key, Quiet: !p.Value.Any(t => t >= cut && t < cut.AddDays(90)))).ToList();

        var flagged = repeatBuyers.Where(c => states[c.Customer].Text("churn_state") is "at_risk" or "churned").ToList();
        var truePositives = flagged.Count(c => c.Quiet);
        var (precision, recall) = ((double)truePositives / flagged.Count, (double)truePositives / repeatBuyers.Count(c => c.Quiet));
        var f1 = 2 * precision * recall / (precision + recall);
        // Not asserted: the latest point's scores may be from an earlier evaluation, as only a change of state writes one.
        var auc = Core.Churn.ChurnScore.Auc(repeatBuyers.Select(c => (states[c.Customer].Has("p_no_order_90d") ? states[c.Customer].Number("p_no_order_90d") : (double?)null, c.Quiet)));
        output.WriteLine($"{repeatBuyers.Count} repeat buyers, {repeatBuyers.Count(c => c.Quiet)} quiet for 90 days, {flagged.Count} flagged: " +
            $"precision {precision:F3}, recall {recall:F3}, F1 {f1:F3}; AUC of the latest points' p_no_order_90d {auc:F3}");
        Assert.Equal(1_956, repeatBuyers.Count);
        Assert.True(f1 >= 0.45, $"F1 {f1:F3} (precision {precision:F3}, recall {recall:F3})");
    }

    private async Task<OnlineRetailRun.Outcome> RunAsync()
    {
        var run = await OnlineRetailRun.EndTimeRunAsync(servers);
        Assert.True(run.ExitCode == 0, run.Stderr);
        return run;
    }

    private static IReadOnlyList<string> Statements(string name) =>
        ReadmeQueries.Read().TryGetValue(name, out var statements) ? statements : throw new KeyNotFoundException($"README.md marks no block '{name}'");

    private static string Statement(string name) => Assert.Single(Statements(name));

    private sealed record Asked(string Statement, IReadOnlyList<InfluxSeries> Answer);

    private async Task<Asked> AskAsync(string statement)
    {
        output.WriteLine($"> {statement}");
        return new Asked(statement, await InfluxAnswer.QueryAsync(servers.Influx, Database, statement));
    }

    private async Task<InfluxRow> OneRowAsync(string name) => OneRow(await AskAsync(Statement(name)));

    /// <summary>The rows of an answer of one series; fails naming the statement when there is none (e.g. nothing written to the measurement).</summary>
    private static IReadOnlyList<InfluxRow> Rows(Asked asked)
    {
        Assert.True(asked.Answer.Count == 1 && asked.Answer[0].Rows.Count > 0,
            $"'{asked.Statement}' answered {asked.Answer.Count} series: does the database hold the points it asks for?");
        return asked.Answer[0].Rows;
    }

    private static InfluxRow OneRow(Asked asked) => Assert.Single(Rows(asked));
}
