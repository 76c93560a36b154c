using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using StreamMetrics.Testing;

namespace StreamMetrics.Worker.Tests.Integration;

[Collection(nameof(ServersCollection))]
public sealed partial class LiveViewTests(ServersFixture servers)
{
    // Enough pixels for a drawn line or a few points; a chart without data draws none of its colour.
    private const int DrawnPixels = 20;
    private static readonly TimeSpan ScriptTime = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task After_an_Online_Retail_replay_the_live_view_draws_every_chart_in_chromium_and_shows_the_numbers_of_metrics()
    {
        const string topic = "live-retail", database = "live_retail";
        await servers.Influx.CreateDatabaseAsync(database);
        // Three months of Online Retail (December to February): days close, so demand has forecasts and customers have churn states.
        var replay = await WorkerProcess.RunAsync(
            ["replay", "--format", "online-retail", "--file", OnlineRetailCsv.Path, "--topic", topic, "--to", "2011-03-01T00:00:00Z",
             "--set", $"Kafka:BootstrapServers={servers.Kafka.BootstrapServers}"], TimeSpan.FromMinutes(3));
        Assert.True(replay.ExitCode == 0, replay.Stderr);
        var produced = long.Parse(ProducedLine().Match(replay.Stdout + replay.Stderr).Groups[1].Value, CultureInfo.InvariantCulture);

        var listen = $"127.0.0.1:{FreeTcpPort.Next()}";
        using var http = new HttpClient { BaseAddress = new Uri($"http://{listen}"), Timeout = TimeSpan.FromSeconds(10) };
        // Neither pipeline reports nor passivation (wall-clock timers): nothing changes once the worker has caught up,
        // so the page and /metrics can be compared.
        await using var worker = WorkerProcess.Start(["run", .. servers.WorkerSettings(topic, topic, database), "--set", $"Http:Listen={listen}",
            "--set", "Metrics:ReportInterval=01:00:00", "--set", "Metrics:PassivateAfter=01:00:00"]);
        await worker.WaitForLogAsync("Serving /metrics", TimeSpan.FromMinutes(1));
        var live = "";
        for (var deadline = DateTime.UtcNow.AddMinutes(3); DateTime.UtcNow < deadline && !CaughtUpWithEverySection(live, produced); await Task.Delay(500))
            live = await http.GetStringAsync("/api/live");
        Assert.True(CaughtUpWithEverySection(live, produced), live);

        var png = Path.Combine(Directory.CreateTempSubdirectory("live-view-").FullName, "live.png");
        await HeadlessChromium.ScreenshotAsync($"http://{listen}/", png, 1400, 1800, ScriptTime);
        var colours = ChartColours.Count(png);
        Assert.True(colours.Values.All(pixels => pixels >= DrawnPixels), $"series without data on {png}: {string.Join(", ", colours)}");

        var dom = await HeadlessChromium.DumpDomAsync($"http://{listen}/", ScriptTime);
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("data-state=\"ready\"", dom);
        var shown = Shown(dom);
        Assert.Equal(produced, shown["orders-applied"]);
        Assert.Equal(PrometheusText.Values(metrics, "streammetrics_orders_total", "outcome=\"applied\"").Sum(), shown["orders-applied"]);
        Assert.Equal(PrometheusText.Values(metrics, "streammetrics_orders_total", "outcome=\"dead_lettered\"").Sum(), shown["orders-dead-lettered"]);
        Assert.Equal(PrometheusText.Value(metrics, "streammetrics_recommended_replicas"), shown["recommended-replicas"]);
        Assert.Equal(PrometheusText.Values(metrics, "streammetrics_customers", "state=\"live\"").Single(), shown["customers-live"]);
        Assert.Equal(PrometheusText.Values(metrics, "streammetrics_customers", "state=\"passivated\"").Single(), shown["customers-passivated"]);
        foreach (var state in new[] { "new", "active", "at_risk", "churned" })
            Assert.Equal(PrometheusText.Values(metrics, "streammetrics_churn_customers", $"state=\"{state}\"").Single(), shown[$"churn-{state}"]);
        var lagShown = LagRow().Matches(dom).ToDictionary(m => m.Groups["partition"].Value, m => double.Parse(m.Groups["lag"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(4, lagShown.Count);
        foreach (var (partition, lag) in lagShown)
            Assert.Equal(PrometheusText.Values(metrics, "streammetrics_consumer_lag", $"partition=\"{partition}\"").Single(), lag);
        Assert.Equal(lagShown.Values.Sum(), shown["lag-total"]);

        // What the group committed, as the cluster has it (read here with a plain consumer of the group), is on the page:
        // the worker caught up and committed every record.
        using var json = JsonDocument.Parse(await http.GetStringAsync("/api/live"));
        var ends = json.RootElement.GetProperty("partitions").EnumerateArray().ToDictionary(p => p.GetProperty("partition").GetInt32(), p => p.GetProperty("end").GetInt64());
        var committedShown = CommittedCell().Matches(dom).ToDictionary(m => int.Parse(m.Groups["partition"].Value, CultureInfo.InvariantCulture), m => m.Groups["committed"].Value);
        Assert.Equal(GroupCommitted(servers.Kafka.BootstrapServers, topic, topic, ends.Keys), committedShown.ToDictionary(c => c.Key, c => long.Parse(c.Value, CultureInfo.InvariantCulture)));
        Assert.Equal(ends, committedShown.ToDictionary(c => c.Key, c => long.Parse(c.Value, CultureInfo.InvariantCulture)));

        // The mock cluster cannot describe groups: every owner is unknown, said in plain words, with no librdkafka text.
        Assert.All(OwnerCell().Matches(dom), m => Assert.Equal("unknown", m.Groups["text"].Value));
        Assert.Contains("Owners unknown: the cluster cannot describe consumer groups (not supported by this cluster). This worker reads partitions 0, 1, 2, 3.", dom);
        Assert.DoesNotContain("Local:", dom);
        Assert.DoesNotContain("An error occurred", dom);

        // Every demand chart is drawn over the same days, those /api/live names.
        var days = json.RootElement.GetProperty("demandDays");
        var axis = (DateTimeOffset.Parse(days.GetProperty("from").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeSeconds(),
            DateTimeOffset.Parse(days.GetProperty("to").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeSeconds());
        var drawn = DemandChartAxis().Matches(dom).Select(m => ((long)double.Parse(m.Groups["from"].Value, CultureInfo.InvariantCulture), (long)double.Parse(m.Groups["to"].Value, CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(json.RootElement.GetProperty("demand").GetArrayLength(), drawn.Count);
        Assert.All(drawn, chart => Assert.Equal(axis, chart));

        // The most valuable at-risk customers, most valuable first: as many as are at risk, up to ten.
        var revenues = AtRiskRevenue().Matches(dom).Select(m => decimal.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Math.Min(10, shown["churn-at_risk"]), revenues.Count);
        Assert.Equal(revenues.OrderDescending(), revenues);
        Assert.Contains("data-key=\"region/United Kingdom\"", dom);

        // The segments ranked by CLV, as /api/live serves them, most valuable first; the models were fitted, so some are worth something.
        var clv = SegmentClv().Matches(dom).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        var ranked = json.RootElement.GetProperty("segments").GetProperty("byClv");
        Assert.Equal(ranked.EnumerateArray().Select(s => s.GetProperty("clv12m").GetDouble()), clv);
        Assert.InRange(clv.Count, 1, 20);
        Assert.Equal(clv.OrderDescending(), clv);
        Assert.True(clv[0] > 0, $"no segment has a CLV: {ranked}");
        Assert.Contains("<tr data-scheme=\"rfm\"", dom);

        worker.Terminate();
        Assert.True(await worker.WaitForExitAsync(TimeSpan.FromMinutes(1)) == 0, worker.StandardError);
    }

    [Fact]
    public async Task The_screenshot_check_finds_no_chart_on_a_page_whose_script_did_not_run()
    {
        var png = Path.Combine(Directory.CreateTempSubdirectory("live-view-").FullName, "broken.png");
        var page = "data:text/html,<h1>StreamMetrics</h1><div id=\"throughput-chart\"></div><script>throw new Error('broken')</script>";

        await HeadlessChromium.ScreenshotAsync(page, png, 1400, 1800, ScriptTime);

        Assert.All(ChartColours.Count(png).Values, pixels => Assert.True(pixels < DrawnPixels));
    }

    /// <summary>The group's committed offsets as the cluster has them, read with a consumer of the group that never joins it.</summary>
    private static Dictionary<int, long> GroupCommitted(string bootstrapServers, string topic, string group, IEnumerable<int> partitions)
    {
        using var consumer = new Confluent.Kafka.ConsumerBuilder<byte[], byte[]>(new Confluent.Kafka.ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = group }).Build();
        return consumer.Committed(partitions.Select(p => new Confluent.Kafka.TopicPartition(topic, p)), TimeSpan.FromSeconds(10))
            .ToDictionary(c => c.Partition.Value, c => c.Offset.Value);
    }

    /// <summary>Every order applied, no lag on any partition, and something in each business section of the view.</summary>
    private static bool CaughtUpWithEverySection(string json, long produced)
    {
        if (json.Length == 0) return false;
        using var live = JsonDocument.Parse(json);
        var root = live.RootElement;
        var partitions = root.GetProperty("partitions").EnumerateArray().ToList();
        return root.GetProperty("orders").GetProperty("applied").GetInt64() == produced
            && partitions.Count == 4 && partitions.All(p => p.GetProperty("lag").GetInt64() == 0)
            && root.GetProperty("churn").GetArrayLength() > 0
            && root.GetProperty("atRisk").GetArrayLength() > 0
            && root.GetProperty("segments") is { ValueKind: JsonValueKind.Object } segments && segments.GetProperty("byClv").GetArrayLength() > 0
            && root.GetProperty("demand").EnumerateArray().Any(d => d.GetProperty("level").GetString() == "region" && d.GetProperty("forecast").GetArrayLength() > 0);
    }

    /// <summary>The raw value of every element of the page marked with <c>data-metric</c> that shows one (an unknown value is empty).</summary>
    private static Dictionary<string, double> Shown(string dom) =>
        MetricElement().Matches(dom).Where(m => m.Groups["value"].Length > 0)
            .ToDictionary(m => m.Groups["metric"].Value, m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"(\d+) orders produced")]
    private static partial Regex ProducedLine();

    [GeneratedRegex(@"data-metric=""(?<metric>[^""]+)"" data-value=""(?<value>[^""]*)""")]
    private static partial Regex MetricElement();

    [GeneratedRegex(@"<tr data-partition=""(?<partition>\d+)"">.*?data-lag=""(?<lag>[^""]+)""")]
    private static partial Regex LagRow();

    [GeneratedRegex(@"data-revenue-total=""([^""]+)""")]
    private static partial Regex AtRiskRevenue();

    [GeneratedRegex(@"data-clv=""([^""]+)""")]
    private static partial Regex SegmentClv();

    [GeneratedRegex(@"<tr data-partition=""(?<partition>\d+)"">.*?data-committed=""(?<committed>[^""]+)""")]
    private static partial Regex CommittedCell();

    [GeneratedRegex(@"<td data-owner=""[^""]*"">(?<text>[^<]*)</td>")]
    private static partial Regex OwnerCell();

    [GeneratedRegex(@"data-key=""[^""]+"" data-x-from=""(?<from>[^""]+)"" data-x-to=""(?<to>[^""]+)""")]
    private static partial Regex DemandChartAxis();
}
