using System.Text.RegularExpressions;
using Xunit.Abstractions;
using static StreamMetrics.Worker.Tests.Integration.GrafanaDashboards;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>
/// The Grafana dashboards of config/grafana/dashboards, each panel's InfluxQL interpolated as Grafana does and
/// run on the real influxd after the shared Online Retail run (<see cref="OnlineRetailRun"/>): every panel
/// answers with data, the at-risk panels answer what the README's at-risk queries answer, the forecast panels
/// reach past the last closed day, and the alerts panel counts each alert once.
/// </summary>
[Collection(nameof(ServersCollection))]
public sealed partial class DashboardTests(ServersFixture servers, ITestOutputHelper output)
{
    private const string Database = OnlineRetailRun.Database;
    private const string DataSourceUid = "streammetrics-influxdb";

    /// <summary>The range a user picks for the replayed year: its orders and the 14 days forecast after them.</summary>
    private static readonly (DateTimeOffset From, DateTimeOffset To) EventTime =
        (DateTimeOffset.Parse("2010-12-01T00:00:00Z"), DateTimeOffset.Parse("2011-12-24T00:00:00Z"));

    private static readonly DateTimeOffset LastClosedDay = DateTimeOffset.Parse("2011-12-09T00:00:00Z");

    [Fact]
    public void Every_panel_asks_the_provisioned_InfluxQL_data_source_in_InfluxQL()
    {
        var dashboards = Load();
        Assert.Equal(["demand.json", "engagement.json", "operations.json"], dashboards.Select(d => d.File));
        var source = Assert.Single(RepositoryFiles.Yaml("config/grafana/provisioning/datasources/influxdb.yaml").List("datasources").Children);
        Assert.Equal(DataSourceUid, source.Text("uid"));
        foreach (var dashboard in dashboards)
        {
            Assert.False(string.IsNullOrEmpty(dashboard.Uid) || string.IsNullOrEmpty(dashboard.Title), dashboard.File);
            Assert.NotEmpty(dashboard.Panels);
            foreach (var panel in dashboard.Panels)
            {
                Assert.NotEmpty(panel.Targets);
                foreach (var target in panel.Targets)
                {
                    var where = $"{dashboard.File} '{panel.Title}' {target.RefId}";
                    Assert.True(target.RawQuery, $"{where} is not raw InfluxQL");
                    Assert.True(target.DatasourceUid == DataSourceUid, $"{where} asks {target.DatasourceUid}");
                    Assert.True(target.Query.StartsWith("SELECT ", StringComparison.Ordinal), $"{where} is not InfluxQL: {target.Query}");
                    Assert.DoesNotContain("|>", target.Query);
                }
            }
            // A variable filters as a regex anchored at both ends, so that All (.*) and a value that is a prefix of another both work.
            foreach (var variable in dashboard.Variables.Where(v => v.Type == "query"))
                foreach (var use in dashboard.Panels.SelectMany(p => p.Targets).Select(t => t.Query).Where(q => q.Contains($"${{{variable.Name}", StringComparison.Ordinal)))
                    Assert.Contains($"=~ /^${{{variable.Name}:regex}}$/", use);
        }
    }

    [Fact]
    public async Task Every_panel_answers_with_data_after_the_Online_Retail_run()
    {
        var run = await RunAsync();
        var silent = new List<string>();
        foreach (var dashboard in Load())
        {
            var selection = await DefaultSelectionAsync(dashboard, run);
            foreach (var (panel, target, answer) in await AnswersAsync(dashboard, selection))
            {
                var rows = answer.SelectMany(s => s.Rows).ToList();
                output.WriteLine($"{dashboard.File} '{panel.Title}' {target.RefId}: {answer.Count} series, {rows.Count} rows");
                if (!rows.Any(r => r.Columns.Any(r.Has))) silent.Add($"{dashboard.File} '{panel.Title}' {target.RefId}: {Interpolate(target.Query, dashboard, selection)}");
            }
            // Each query variable set to one of its values instead of All: the value goes in regex-escaped.
            foreach (var variable in dashboard.Variables.Where(v => v.Type == "query"))
            {
                var one = new Dictionary<string, IReadOnlyList<string>?>(selection.Values) { [variable.Name] = [(await ValuesAsync(dashboard, variable, selection))[0]] };
                var narrowed = selection with { Values = one };
                foreach (var (panel, target, answer) in await AnswersAsync(dashboard, narrowed, variable.Name))
                    if (!answer.SelectMany(s => s.Rows).Any(r => r.Columns.Any(r.Has)))
                        silent.Add($"{dashboard.File} '{panel.Title}' {target.RefId} with {variable.Name} = {one[variable.Name]![0]}: {Interpolate(target.Query, dashboard, narrowed)}");
            }
        }
        Assert.True(silent.Count == 0, $"{silent.Count} queries answered nothing:\n{string.Join("\n", silent)}");
    }

    /// <summary>
    /// Issue 15: the at-risk panel took the latest at-risk point of anyone ever at risk. Now it takes each
    /// customer's latest point, then filters, as the README's "Customers at risk and churned now" does.
    /// </summary>
    [Fact]
    public async Task The_at_risk_panels_answer_what_the_READMEs_at_risk_queries_answer()
    {
        var run = await RunAsync();
        var engagement = Load().Single(d => d.File == "engagement.json");
        var selection = await DefaultSelectionAsync(engagement, run);
        var readme = ReadmeQueries.Read();

        var counts = engagement.Panels.Single(p => p.Title == "Customers at risk and churned (latest state)");
        var readmeCounts = readme["at-risk-and-churned-now"];
        Assert.Equal(readmeCounts.Count, counts.Targets.Count);
        for (var i = 0; i < counts.Targets.Count; i++)
        {
            var panel = Text(await AskAsync(Interpolate(counts.Targets[i].Query, engagement, selection)));
            output.WriteLine(panel);
            Assert.Equal(Text(await AskAsync(readmeCounts[i])), panel);
        }

        var table = engagement.Panels.Single(p => p.Title == "At-risk customers by value (latest state)");
        var rows = ByRevenue(await AskAsync(Interpolate(Assert.Single(table.Targets).Query, engagement, selection)));
        var topTen = ByRevenue(await AskAsync(Assert.Single(readme["top-ten-at-risk-by-revenue"])));
        Assert.Equal(topTen.Select(r => r.ToString()), rows.Take(10).Select(r => r.ToString()));

        // And independently of InfluxQL: the at-risk customers of every customer's latest point, highest revenue first.
        var atRisk = (await CustomerMetricsReadBack.LatestAsync(servers.Influx, Database)).Where(p => p.Value.ChurnState == "at_risk")
            .OrderByDescending(p => p.Value.RevenueTotal).ToList();
        Assert.True(atRisk.Count > 100, $"only {atRisk.Count} customers at risk: the table's limit of 100 is not tested");
        Assert.True(atRisk[99].Value.RevenueTotal > atRisk[100].Value.RevenueTotal, "a tie at the 100th place: the hundred are not unique");
        Assert.Equal(atRisk.Take(100).Select(p => (p.Key, p.Value.RevenueTotal)), rows.Select(r => (r.Text("customer_id"), r.Number("revenue_total"))));

        static List<InfluxRow> ByRevenue(IReadOnlyList<InfluxSeries> answer) =>
            [.. answer.SelectMany(s => s.Rows).OrderByDescending(r => r.Number("revenue_total")).ThenBy(r => r.Text("customer_id"), StringComparer.Ordinal)];
    }

    /// <summary>
    /// Issue 16: the most valuable segments table holds each segment's newest period summed over partitions, which
    /// after the run is the last closed one for every rfm segment: what the README's ranking by CLV answers.
    /// </summary>
    [Fact]
    public async Task The_most_valuable_segments_panel_answers_what_the_READMEs_ranking_by_clv_answers()
    {
        var run = await RunAsync();
        var engagement = Load().Single(d => d.File == "engagement.json");
        var selection = await DefaultSelectionAsync(engagement, run);
        var table = engagement.Panels.Single(p => p.Title == "Most valuable segments");
        var rows = ByClv(await AskAsync(Interpolate(Assert.Single(table.Targets).Query, engagement, selection with { Interval = table.Interval! })));
        var readme = ByClv(await AskAsync(Assert.Single(ReadmeQueries.Read()["segments-by-clv"])));
        output.WriteLine(string.Join("\n", rows));

        Assert.Equal(12, rows.Count);
        Assert.All(rows, row => Assert.Equal(LastClosedDay, row.Time));
        Assert.Equal(readme.Select(r => (r.Segment, r.Customers)), rows.Select(r => (r.Segment, r.Customers)));
        foreach (var (panel, statement) in rows.Zip(readme))
        {
            // The same points summed in another order.
            Assert.Equal(statement.RevenueTotal, panel.RevenueTotal, 1e-6);
            Assert.Equal(statement.Clv12m, panel.Clv12m, 1e-6);
        }

        // The panel's answer is a series per segment, the README's one series with the segment as a column; Grafana sorts the table.
        static List<(string Segment, DateTimeOffset Time, long Customers, double RevenueTotal, double Clv12m)> ByClv(IReadOnlyList<InfluxSeries> answer) =>
            [.. answer.SelectMany(s => s.Rows.Select(r => (s.Tags.TryGetValue("segment", out var tag) ? tag : r.Text("segment"), r.Time,
                r.Integer("customers"), r.Number("revenue_total"), r.Number("clv_12m")))).OrderByDescending(r => r.Item5)];
    }

    /// <summary>Issue 15: the forecast panels stopped at now. Each of them now reaches the 14 days after the last closed day.</summary>
    [Fact]
    public async Task The_forecast_panels_show_the_14_days_after_the_last_closed_day()
    {
        var run = await RunAsync();
        var demand = Load().Single(d => d.File == "demand.json");
        var selection = await DefaultSelectionAsync(demand, run);
        var next14 = Enumerable.Range(1, 14).Select(d => LastClosedDay.AddDays(d)).ToList();
        var newestPerHorizon = (await AnswersAsync(demand, selection)).Where(a => HorizonGrouped().IsMatch(a.Target.Query)).ToList();
        Assert.Equal(3, newestPerHorizon.Count);
        foreach (var (panel, target, answer) in newestPerHorizon)
        {
            var rows = answer.SelectMany(s => s.Rows).ToList();
            output.WriteLine($"'{panel.Title}' {target.RefId}: {rows.Count} rows from {rows.Min(r => r.Time):yyyy-MM-dd} to {rows.Max(r => r.Time):yyyy-MM-dd}");
            // One row per day and key: for each key (the whole total, or each region of the table), the 14 days after the last closed one.
            foreach (var key in rows.GroupBy(r => r.Columns.Contains("region") ? r.Text("region") : "total"))
                Assert.Equal(next14, key.Select(r => r.Time).Order());
        }

        var total = demand.Panels.Single(p => p.Title.StartsWith("Total:", StringComparison.Ordinal));
        var answers = (await AnswersAsync(demand, selection)).Where(a => a.Panel == total).ToDictionary(a => a.Target.RefId, a => a.Answer.SelectMany(s => s.Rows).ToList());
        Assert.Equal(LastClosedDay, answers["A"].Max(r => r.Time));              // units: the days that closed
        Assert.Equal(LastClosedDay.AddDays(1), answers["B"].Max(r => r.Time));   // the day-ahead band: one day further
    }

    /// <summary>
    /// Issue 15: "alerts per day" counted the p_alive field, which new and reactivated customers lack and segment
    /// changes carry. Now every alert kind counts, once, and segment changes not at all.
    /// </summary>
    [Fact]
    public async Task Alerts_per_day_count_every_alert_kind_once_and_no_segment_change()
    {
        var run = await RunAsync();
        var engagement = Load().Single(d => d.File == "engagement.json");
        var selection = await DefaultSelectionAsync(engagement, run);
        var alerts = engagement.Panels.Single(p => p.Title == "Customer alerts per day");
        var answer = await AskAsync(Interpolate(Assert.Single(alerts.Targets).Query, engagement, selection));
        var perEvent = answer.ToDictionary(s => s.Tags["event"], s => s.Rows.Sum(r => r.Integer("alerts")));
        output.WriteLine(string.Join(", ", perEvent.Select(e => $"{e.Key} {e.Value}")));

        Assert.Equal(["at_risk", "churned", "engagement_drop", "new_customer", "reactivated"], perEvent.Keys.Order(StringComparer.Ordinal));
        // Every customer with a purchase was new once: the CSV's customers but those with returns only.
        Assert.Equal(OnlineRetailCsv.PerCustomer().Values.Count(c => c.Orders > 0), perEvent["new_customer"]);
        foreach (var (kind, count) in perEvent)
        {
            var all = await InfluxAnswer.RowsAsync(servers.Influx, Database, $"SELECT * FROM customer_events WHERE event = '{kind}'");
            Assert.Equal(all.Count, count);
        }
    }

    private async Task<OnlineRetailRun.Outcome> RunAsync()
    {
        var run = await OnlineRetailRun.EndTimeRunAsync(servers);
        Assert.True(run.ExitCode == 0, run.Stderr);
        return run;
    }

    /// <summary>
    /// What a user sees on opening a dashboard after the run: the replayed year (operations: the run's wall-clock
    /// minutes, as pipeline points carry the wall clock), custom variables at their default and query variables at All.
    /// </summary>
    private async Task<Selection> DefaultSelectionAsync(Dashboard dashboard, OnlineRetailRun.Outcome run)
    {
        var (from, to) = dashboard.File == "operations.json" ? (run.Started.AddSeconds(-1), run.Ended.AddSeconds(1)) : EventTime;
        var selection = new Selection(from, to, "", new Dictionary<string, IReadOnlyList<string>?>());
        var values = new Dictionary<string, IReadOnlyList<string>?>();
        foreach (var variable in dashboard.Variables)
        {
            if (variable.Type == "custom") values[variable.Name] = [Assert.IsType<string>(variable.Default)];
            else
            {
                Assert.True(variable.IncludeAll && variable.AllValue == ".*", $"{dashboard.File} variable {variable.Name}: All should be .*");
                Assert.NotEmpty(await ValuesAsync(dashboard, variable, selection with { Values = values }));
                values[variable.Name] = null;
            }
        }
        return selection with { Values = values };
    }

    /// <summary>A query variable's values, as its SHOW TAG VALUES answers them.</summary>
    private async Task<IReadOnlyList<string>> ValuesAsync(Dashboard dashboard, Variable variable, Selection selection)
    {
        using var answer = await servers.Influx.QueryAsync(Database, Interpolate(variable.Query, dashboard, selection));
        return [.. Testing.InfluxdServer.Series(answer).SelectMany(s => s.GetProperty("values").EnumerateArray()).Select(row => row[1].GetString()!)];
    }

    /// <summary>Every target's answer; with <paramref name="using"/>, only those of the targets that name that variable.</summary>
    private async Task<List<(Panel Panel, Target Target, IReadOnlyList<InfluxSeries> Answer)>> AnswersAsync(Dashboard dashboard, Selection selection, string? @using = null)
    {
        var answers = new List<(Panel, Target, IReadOnlyList<InfluxSeries>)>();
        foreach (var panel in dashboard.Panels)
            foreach (var target in panel.Targets.Where(t => @using is null || t.Query.Contains($"${{{@using}", StringComparison.Ordinal)))
            {
                // A panel's minimum interval, else the data source's (config/grafana/provisioning/datasources).
                var interval = panel.Interval ?? DataSourceInterval.Value;
                answers.Add((panel, target, await AskAsync(Interpolate(target.Query, dashboard, selection with { Interval = interval }))));
            }
        return answers;
    }

    private Task<IReadOnlyList<InfluxSeries>> AskAsync(string statement) => InfluxAnswer.QueryAsync(servers.Influx, Database, statement);

    private static string Text(IReadOnlyList<InfluxSeries> answer) =>
        string.Join("\n", answer.Select(s => string.Join(",", s.Tags.Select(t => $"{t.Key}={t.Value}")) + ": " + string.Join("; ", s.Rows)));

    private static readonly Lazy<string> DataSourceInterval = new(() =>
        Assert.Single(RepositoryFiles.Yaml("config/grafana/provisioning/datasources/influxdb.yaml").List("datasources").Children).Map("jsonData").Text("timeInterval"));

    [GeneratedRegex(@"GROUP BY [^)]*\bhorizon\)")]
    private static partial Regex HorizonGrouped();
}
