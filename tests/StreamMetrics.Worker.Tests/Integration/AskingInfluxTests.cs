using StreamMetrics.Kafka.Source;
using Xunit.Abstractions;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>
/// The README's "Asking InfluxDB" statements, run as written on the Online Retail run the end-to-end test
/// makes, each answer checked against an independent computation; and the final snapshot of a bounded
/// run (issue 14, point 3): one point per customer, agreeing with the segment sums and the RFM reference.
/// </summary>
[Collection(nameof(ServersCollection))]
public sealed class AskingInfluxTests(ServersFixture servers, ITestOutputHelper output)
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(5);
    private static readonly DateTimeOffset FinalSnapshot = DateTimeOffset.Parse("2011-12-10T00:00:00Z");
    private static readonly DateTimeOffset LastClosedPeriod = DateTimeOffset.Parse("2011-12-09T00:00:00Z");
    private static readonly DateTimeOffset LastClosedDay = DateTimeOffset.Parse("2011-12-09T00:00:00Z");
    private const int Customers = 4_372;

    [Fact]
    public async Task Every_README_query_answers_on_Online_Retail_what_the_CSV_the_other_measurements_and_Kafka_say()
    {
        var run = await OnlineRetailRun.EndTimeRunAsync(servers);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var queries = ReadmeQueries.Read();
        Assert.Equal(
        [
            "at-risk-and-churned-in-the-last-period", "at-risk-and-churned-now", "busiest-region-forecast-next-14-days",
            "busiest-region-last-14-days", "busiest-region-units-per-day", "churn-rate-per-rfm-segment", "find-final-snapshot",
            "find-last-closed-day", "find-last-closed-period", "lag-per-partition", "top-ten-at-risk-by-revenue",
        ], queries.Keys.Order(StringComparer.Ordinal));

        // pipeline points carry the wall clock: the README asks for the last minute, and this run may be older than that.
        Assert.Contains("now() - 1m", queries["lag-per-partition"][0]);
        var lagAnswer = await AskAsync(queries["lag-per-partition"][0].Replace("now() - 1m", $"'{run.Started.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}'"));
        await CheckLagAsync(lagAnswer);

        // The time literals of the README are the instants its statements for finding them give.
        Assert.Equal(FinalSnapshot, Single(await AskAsync(queries["find-final-snapshot"][0])).Time);
        Assert.Equal(LastClosedPeriod, Single(await AskAsync(queries["find-last-closed-period"][0])).Time);
        Assert.Equal(LastClosedDay.AddDays(1), Single(await AskAsync(queries["find-last-closed-day"][0])).Time);

        var latest = await LatestCustomerPointsAsync(OnlineRetailRun.Database);
        Assert.Equal(Customers, latest.Count);
        var segmentSums = await SegmentSumsAsync(OnlineRetailRun.Database, LastClosedPeriod);
        CheckAtRiskAndChurned(queries, latest, segmentSums, await AskAllAsync(queries["at-risk-and-churned-now"]),
            Single(await AskAsync(queries["at-risk-and-churned-in-the-last-period"][0])));
        CheckTopTen(latest, await AskAsync(queries["top-ten-at-risk-by-revenue"][0]));
        await CheckChurnRatesAsync(await AskAsync(queries["churn-rate-per-rfm-segment"][0]));
        var region = CheckBusiestRegionAndItsDays(Single(await AskAsync(queries["busiest-region-last-14-days"][0])),
            await AskAsync(queries["busiest-region-units-per-day"][0]));
        await CheckForecastAsync(region, await AskAsync(queries["busiest-region-forecast-next-14-days"][0]));
    }

    [Fact]
    public async Task After_the_run_with_end_time_every_customer_has_one_final_point_agreeing_with_the_segment_sums_and_the_RFM_reference()
    {
        var run = await OnlineRetailRun.EndTimeRunAsync(servers);
        Assert.True(run.ExitCode == 0, run.Stderr);
        await AssertFinalSnapshotAsync(OnlineRetailRun.Database);
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

        var run = await OnlineRetailRun.EndTimeRunAsync(servers);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var withEndTime = await FinalPointsAsync(OnlineRetailRun.Database, FinalSnapshot);
        var differing = withEndTime.Keys.Where(c => withoutEndTime[c] != withEndTime[c]).ToList();
        Assert.True(differing.Count == 0, $"{differing.Count} customers' final points differ, e.g. " +
            string.Join("; ", differing.Take(5).Select(c => $"{c}: with --end-time {withEndTime[c]}, without {withoutEndTime[c]}")));
    }

    private async Task CheckLagAsync(IReadOnlyList<InfluxSeries> answer)
    {
        var bootstrap = servers.Kafka.BootstrapServers;
        var (ends, committed) = await Task.Run(() =>
        {
            var ends = KafkaTopicInfo.EndOffsets(bootstrap, OnlineRetailRun.Topic, TimeSpan.FromSeconds(10));
            return (ends, KafkaTopicInfo.CommittedOrStart(bootstrap, OnlineRetailRun.Topic, OnlineRetailRun.GroupId, ends.Keys, TimeSpan.FromSeconds(10)));
        });
        var lag = answer.ToDictionary(s => int.Parse(s.Tags["partition"]), s => Assert.Single(s.Rows));
        output.WriteLine($"lag per partition: {string.Join(", ", lag.OrderBy(l => l.Key).Select(l => $"{l.Key}: {l.Value.Integer("lag")} records, {l.Value.Number("lag_seconds")} s"))}");
        Assert.Equal(ends.Keys.Order(), lag.Keys.Order());
        foreach (var (partition, end) in ends)
        {
            Assert.Equal(end - committed[partition], lag[partition].Integer("lag"));
            Assert.Equal(0, lag[partition].Integer("lag"));
            Assert.Equal(0, lag[partition].Number("lag_seconds"));
        }
    }

    private void CheckAtRiskAndChurned(IReadOnlyDictionary<string, IReadOnlyList<string>> queries, IReadOnlyDictionary<string, CustomerPoint> latest,
        (long AtRisk, long Churned, long Customers) segmentSums, IReadOnlyList<IReadOnlyList<InfluxSeries>> now, InfluxRow lastPeriod)
    {
        Assert.Equal(2, queries["at-risk-and-churned-now"].Count);
        var (atRisk, churned) = (Single(now[0]).Integer("at_risk"), Single(now[1]).Integer("churned"));
        output.WriteLine($"at risk now {atRisk}, churned now {churned}; last period's sums {segmentSums}");
        Assert.Equal(latest.Values.Count(p => p.ChurnState == "at_risk"), atRisk);
        Assert.Equal(latest.Values.Count(p => p.ChurnState == "churned"), churned);
        Assert.Equal((atRisk, churned, Customers), segmentSums);
        Assert.Equal(segmentSums, (lastPeriod.Integer("at_risk"), lastPeriod.Integer("churned"), lastPeriod.Integer("customers")));
        Assert.Equal(LastClosedPeriod, lastPeriod.Time);
    }

    private void CheckTopTen(IReadOnlyDictionary<string, CustomerPoint> latest, IReadOnlyList<InfluxSeries> answer)
    {
        var rows = Assert.Single(answer).Rows;
        output.WriteLine($"the ten at risk with the highest revenue:\n{string.Join("\n", rows)}");
        var expected = latest.Where(p => p.Value.ChurnState == "at_risk").OrderByDescending(p => p.Value.RevenueTotal).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(10).ToList();
        Assert.Equal(10, expected.Count);
        // All latest points are at the final snapshot, so top() lists them highest first.
        Assert.Equal(expected.Select(p => p.Value.RevenueTotal), rows.Select(r => r.Number("revenue_total")));
        var tenth = expected[^1].Value.RevenueTotal;
        Assert.True(latest.Values.Count(p => p.ChurnState == "at_risk" && p.RevenueTotal == tenth) == 1, "a tie at the tenth place: the customers are not unique");
        Assert.Equal(expected.Select(p => p.Key), rows.Select(r => r.Text("customer_id")));
        foreach (var row in rows)
        {
            var point = latest[row.Text("customer_id")];
            Assert.Equal((point.OrdersTotal, point.DaysSinceLastOrder, point.Segment), (row.Integer("orders_total"), row.Number("days_since_last_order"), row.Text("segment")));
            Assert.Equal(FinalSnapshot, row.Time);
        }
    }

    /// <summary>
    /// A segment_metrics point of a period counts the states evaluated when the period closed, which the
    /// customer_metrics points at the period's end hold.
    /// </summary>
    private async Task CheckChurnRatesAsync(IReadOnlyList<InfluxSeries> answer)
    {
        var points = await FinalPointsAsync(OnlineRetailRun.Database, LastClosedPeriod.AddDays(1));
        var expected = points.Values.GroupBy(p => p.Segment)
            .ToDictionary(g => g.Key, g => (Churned: (long)g.Count(p => p.ChurnState == "churned"), Customers: (long)g.Count()));
        var actual = answer.ToDictionary(s => s.Tags["segment"], s => Assert.Single(s.Rows));
        output.WriteLine($"churn rate per RFM segment in the last closed period:\n{string.Join("\n", actual.Select(a => $"{a.Key} {a.Value}"))}");
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (segment, (churned, customers)) in expected)
        {
            var row = actual[segment];
            Assert.Equal(LastClosedPeriod, row.Time);
            Assert.Equal((churned, customers), (row.Integer("churned"), row.Integer("customers")));
            Assert.Equal((double)churned / customers, row.Number("churn_rate"), 1e-12);
        }
    }

    private string CheckBusiestRegionAndItsDays(InfluxRow busiest, IReadOnlyList<InfluxSeries> perDay)
    {
        var days = Enumerable.Range(0, 14).Select(d => LastClosedDay.UtcDateTime.Date.AddDays(d - 13)).ToList();
        var csv = OnlineRetailCsv.DemandPerDay();
        var perRegion = csv.Where(e => e.Key.Level == "region" && days.Contains(e.Key.Day)).GroupBy(e => e.Key.Key)
            .Select(g => (Region: g.Key, Units: g.Sum(e => e.Value.Units))).OrderByDescending(r => r.Units).ToList();
        output.WriteLine($"busiest region: {busiest}; from the CSV {string.Join(", ", perRegion.Take(3))}");
        Assert.True(perRegion[0].Units > perRegion[1].Units);
        Assert.Equal(perRegion[0], (busiest.Text("region"), busiest.Integer("units")));

        var rows = Assert.Single(perDay).Rows;
        output.WriteLine($"its units per day:\n{string.Join("\n", rows)}");
        Assert.Equal(days, rows.Select(r => r.Time.UtcDateTime));
        Assert.Equal(days.Select(d => csv.TryGetValue(("region", perRegion[0].Region, d), out var units) ? units.Units : 0), rows.Select(r => r.Integer("units")));
        return perRegion[0].Region;
    }

    /// <summary>The forecast made when the last day closed: for each horizon h, the raw point of that series at D + h.</summary>
    private async Task CheckForecastAsync(string region, IReadOnlyList<InfluxSeries> answer)
    {
        var raw = await InfluxAnswer.QueryAsync(servers.Influx, OnlineRetailRun.Database,
            $"SELECT forecast, lower, upper FROM demand_forecast WHERE level = 'region' AND region = '{region}' GROUP BY horizon");
        var rows = Assert.Single(answer).Rows;
        output.WriteLine($"its forecast for the next 14 days:\n{string.Join("\n", rows)}");
        Assert.Equal(Enumerable.Range(1, 14), rows.Select(r => int.Parse(r.Text("horizon"))).Order());
        foreach (var row in rows)
        {
            var horizon = int.Parse(row.Text("horizon"));
            Assert.Equal(LastClosedDay.AddDays(horizon), row.Time);
            var made = Assert.Single(raw.Single(s => s.Tags["horizon"] == row.Text("horizon")).Rows, r => r.Time == row.Time);
            Assert.Equal((made.Number("forecast"), made.Number("lower"), made.Number("upper")), (row.Number("forecast"), row.Number("lower"), row.Number("upper")));
            Assert.True(row.Number("lower") <= row.Number("forecast") && row.Number("forecast") <= row.Number("upper"), $"{row}");
        }
    }

    /// <summary>
    /// Issue 14, point 3: every customer has exactly one customer_metrics point at the final snapshot, the
    /// at-risk and churned counts of those points are the sums of the last closed period's segment_metrics,
    /// and every customer's RFM scores and segment equal the reference computed from the CSV.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, FinalPoint>> AssertFinalSnapshotAsync(string database)
    {
        var final = Single(await InfluxAnswer.QueryAsync(servers.Influx, database, "SELECT last(orders_total) FROM customer_metrics")).Time;
        output.WriteLine($"{database}: final customer_metrics timestamp {final:O}");
        var points = await FinalPointsAsync(database, final);
        var reference = RfmReference.At(FinalSnapshot);
        Assert.Equal(Customers, reference.Count);
        Assert.Equal(reference.Keys.Order(StringComparer.Ordinal), points.Keys.Order(StringComparer.Ordinal));

        var sums = await SegmentSumsAsync(database, final.AddDays(-1));
        var counted = (AtRisk: (long)points.Values.Count(p => p.ChurnState == "at_risk"), Churned: (long)points.Values.Count(p => p.ChurnState == "churned"));
        output.WriteLine($"{database}: at risk {counted.AtRisk}, churned {counted.Churned} in the final points; the period before sums to {sums}");
        Assert.Equal((counted.AtRisk, counted.Churned, (long)Customers), sums);

        Assert.Equal(FinalSnapshot, final);
        var wrong = reference.Where(r => (r.Value.Scores, r.Value.Segment) != (points[r.Key].Rfm, points[r.Key].Segment)).ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {Customers} customers differ from the RFM reference, e.g. " +
            string.Join("; ", wrong.Take(5).Select(w => $"{w.Key}: reference {w.Value}, read back {points[w.Key]}")));
        return points;
    }

    /// <summary>A customer's point at one timestamp; fails when a customer has more than one series there (a tag beside customer_id).</summary>
    private async Task<IReadOnlyDictionary<string, FinalPoint>> FinalPointsAsync(string database, DateTimeOffset at)
    {
        var answer = await InfluxAnswer.QueryAsync(servers.Influx, database,
            $"SELECT segment, churn_state, rfm_r, rfm_f, rfm_m, orders_total, revenue_total FROM customer_metrics WHERE time = '{at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}' GROUP BY *");
        var points = new Dictionary<string, FinalPoint>(StringComparer.Ordinal);
        foreach (var series in answer)
        {
            Assert.Equal(["customer_id"], series.Tags.Where(t => t.Value.Length > 0).Select(t => t.Key));
            var row = Assert.Single(series.Rows);
            (int, int, int)? rfm = row.Has("rfm_r") ? ((int)row.Integer("rfm_r"), (int)row.Integer("rfm_f"), (int)row.Integer("rfm_m")) : null;
            Assert.True(points.TryAdd(series.Tags["customer_id"],
                new FinalPoint(row.Text("segment"), row.Text("churn_state"), rfm, row.Integer("orders_total"), row.Number("revenue_total"))),
                $"customer {series.Tags["customer_id"]} has two series at {at:O}");
        }
        return points;
    }

    private sealed record FinalPoint(string Segment, string ChurnState, (int R, int F, int M)? Rfm, long OrdersTotal, double RevenueTotal);

    private sealed record CustomerPoint(DateTimeOffset Time, string ChurnState, string Segment, double RevenueTotal, long OrdersTotal, double DaysSinceLastOrder);

    /// <summary>Every customer's latest customer_metrics point, picked here from all of its points.</summary>
    private async Task<IReadOnlyDictionary<string, CustomerPoint>> LatestCustomerPointsAsync(string database)
    {
        var answer = await InfluxAnswer.QueryAsync(servers.Influx, database,
            "SELECT churn_state, segment, revenue_total, orders_total, days_since_last_order FROM customer_metrics GROUP BY customer_id");
        return answer.ToDictionary(s => s.Tags["customer_id"], s =>
        {
            var row = s.Rows.MaxBy(r => r.Time)!;
            return new CustomerPoint(row.Time, row.Text("churn_state"), row.Text("segment"), row.Number("revenue_total"), row.Integer("orders_total"),
                row.Has("days_since_last_order") ? row.Number("days_since_last_order") : double.NaN);
        });
    }

    /// <summary>The rfm scheme's at_risk, churned and customers of one period, summed here over segments and partitions.</summary>
    private async Task<(long AtRisk, long Churned, long Customers)> SegmentSumsAsync(string database, DateTimeOffset period)
    {
        var rows = await InfluxAnswer.RowsAsync(servers.Influx, database,
            $"SELECT at_risk, churned, customers FROM segment_metrics WHERE scheme = 'rfm' AND time = '{period.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}'");
        Assert.NotEmpty(rows);
        return (rows.Sum(r => r.Integer("at_risk")), rows.Sum(r => r.Integer("churned")), rows.Sum(r => r.Integer("customers")));
    }

    private Task<IReadOnlyList<InfluxSeries>> AskAsync(string statement)
    {
        output.WriteLine($"> {statement}");
        return InfluxAnswer.QueryAsync(servers.Influx, OnlineRetailRun.Database, statement);
    }

    private async Task<IReadOnlyList<IReadOnlyList<InfluxSeries>>> AskAllAsync(IEnumerable<string> statements)
    {
        var answers = new List<IReadOnlyList<InfluxSeries>>();
        foreach (var statement in statements) answers.Add(await AskAsync(statement));
        return answers;
    }

    private static InfluxRow Single(IReadOnlyList<InfluxSeries> answer) => Assert.Single(Assert.Single(answer).Rows);
}
