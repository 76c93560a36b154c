using System.Net;
using System.Text.RegularExpressions;

namespace StreamMetrics.Worker.Tests.Integration;

[Collection(nameof(ServersCollection))]
public sealed partial class MetricsEndpointTests(ServersFixture servers)
{
    private static readonly string[] Series =
    [
        "streammetrics_orders_total", "streammetrics_consumer_lag", "streammetrics_consumer_lag_seconds", "streammetrics_influx_points_total",
        "streammetrics_influx_buffered_points", "streammetrics_influx_retries_total", "streammetrics_influx_write_seconds", "streammetrics_customers",
        "streammetrics_rebalances_total", "streammetrics_checkpoint_seconds", "streammetrics_restore_states_total", "streammetrics_recommended_replicas",
        "streammetrics_customers_forgotten_total", "streammetrics_managed_heap_after_full_collection_bytes", "process_working_set_bytes",
        "dotnet_total_memory_bytes",
    ];

    [Fact]
    public async Task During_and_after_a_CDNOW_replay_metrics_has_every_series_counts_every_customer_day_once_the_lag_drains_to_zero_and_logs_are_json()
    {
        const string topic = "metrics-cdnow", database = "metrics_cdnow";
        // An influxd of this test's own, since it stops it: it starts again with this test's data only.
        await using var influx = await Testing.InfluxdServer.StartAsync();
        await influx.CreateDatabaseAsync(database);
        await servers.ReplayCdnowAsync(topic);
        var listen = $"127.0.0.1:{Testing.FreeTcpPort.Next()}";
        using var http = new HttpClient { BaseAddress = new Uri($"http://{listen}"), Timeout = TimeSpan.FromSeconds(10) };

        await using var worker = WorkerProcess.Start(["run", .. servers.WorkerSettings(topic, topic, database, influx), "--set", $"Http:Listen={listen}",
            "--set", "Logging:Format=json", "--set", "Metrics:ReportInterval=00:00:01"]);
        await worker.WaitForLogAsync("Serving /metrics", TimeSpan.FromMinutes(1));
        var seen = new HashSet<string>();
        var (applied, lag) = (0.0, double.NaN);
        for (var deadline = DateTime.UtcNow.AddMinutes(3); DateTime.UtcNow < deadline && !(applied == 6_696 && lag == 0); await Task.Delay(250))
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
            var text = await http.GetStringAsync("/metrics");
            seen.UnionWith(Series.Where(name => text.Contains($"\n{name}", StringComparison.Ordinal) || text.StartsWith(name, StringComparison.Ordinal)));
            applied = PrometheusText.Values(text, "streammetrics_orders_total", "outcome=\"applied\"").Sum();
            var lags = PrometheusText.Values(text, "streammetrics_consumer_lag", "partition=").ToList();
            lag = lags.Count == 4 ? lags.Sum() : double.NaN;
        }

        Assert.Equal(6_696, applied);
        Assert.Equal(0, lag);
        Assert.Equal(Series.Order(), seen.Order());
        var ready = await http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("\"ready\":true", await ready.Content.ReadAsStringAsync());

        // The same figures reach InfluxDB as the pipeline measurement: every partition caught up, every CDNOW customer counted once.
        var (reportedLag, reportedCustomers, reportedPartitions) = (-1L, 0L, 0);
        for (var deadline = DateTime.UtcNow.AddMinutes(1); DateTime.UtcNow < deadline && !(reportedLag == 0 && reportedCustomers == 2_357); await Task.Delay(500))
        {
            using var pipeline = await influx.QueryAsync(database,
                "SELECT last(lag), last(customers_live), last(customers_passivated) FROM pipeline GROUP BY \"partition\"");
            var rows = Testing.InfluxdServer.Series(pipeline).Select(series => series.GetProperty("values")[0]).ToList();
            (reportedLag, reportedCustomers, reportedPartitions) = (rows.Sum(r => r[1].GetInt64()), rows.Sum(r => r[2].GetInt64() + r[3].GetInt64()), rows.Count);
        }
        Assert.Equal((0L, 2_357L, 4), (reportedLag, reportedCustomers, reportedPartitions));

        // Without InfluxDB the worker is alive but not ready, and says why: new orders give it points to write.
        await influx.StopAsync();
        try
        {
            var simulate = await WorkerProcess.RunAsync(["simulate", "--customers", "200", "--days", "3", "--seed", "5",
                "--set", $"Kafka:BootstrapServers={servers.Kafka.BootstrapServers}", "--set", $"Kafka:Topic={topic}"], TimeSpan.FromMinutes(2));
            Assert.True(simulate.ExitCode == 0, simulate.Stderr);
            var reason = "";
            for (var deadline = DateTime.UtcNow.AddMinutes(1); DateTime.UtcNow < deadline && !reason.Contains("InfluxDB"); await Task.Delay(250))
            {
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
                var answer = await http.GetAsync("/readyz");
                if (answer.StatusCode == HttpStatusCode.ServiceUnavailable) reason = await answer.Content.ReadAsStringAsync();
            }
            Assert.Contains("InfluxDB did not answer the last write", reason);
        }
        finally
        {
            await influx.StartAgainAsync();
        }
        // Ready again once a write went through: only then can a stop write out what was read within ShutdownTimeout,
        // however long the writer's back-off was when InfluxDB came back.
        for (var deadline = DateTime.UtcNow.AddMinutes(2); DateTime.UtcNow < deadline && (await http.GetAsync("/readyz")).StatusCode != HttpStatusCode.OK;)
            await Task.Delay(250);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
        worker.Terminate();
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromMinutes(1));
        Assert.True(exitCode == 0, worker.StandardError);

        // Logging:Format=json: one JSON object per line, each with its time, level, category and message.
        var lines = worker.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length > 10);
        Assert.All(lines, line =>
        {
            using var entry = System.Text.Json.JsonDocument.Parse(line);
            foreach (var field in new[] { "Timestamp", "LogLevel", "Category", "Message" }) Assert.True(entry.RootElement.TryGetProperty(field, out _), line);
        });
    }

    [Fact]
    public async Task Readyz_answers_200_only_after_every_partition_restored_its_state_while_healthz_always_answers()
    {
        const string topic = "metrics-restore", database = "metrics_restore";
        await servers.Influx.CreateDatabaseAsync(database);
        var simulate = await WorkerProcess.RunAsync(["simulate", "--customers", "100000", "--days", "1", "--seed", "9",
            "--set", $"Kafka:BootstrapServers={servers.Kafka.BootstrapServers}", "--set", $"Kafka:Topic={topic}"], TimeSpan.FromMinutes(3));
        Assert.True(simulate.ExitCode == 0, simulate.Stderr);
        // A first worker leaves tens of thousands of customer states in the changelog for the next one to restore.
        var first = await WorkerProcess.RunAsync(["run", "--until-caught-up", .. servers.WorkerSettings(topic, topic, database)], TimeSpan.FromMinutes(5));
        Assert.True(first.ExitCode == 0, first.Stderr);

        var listen = $"127.0.0.1:{Testing.FreeTcpPort.Next()}";
        using var http = new HttpClient { BaseAddress = new Uri($"http://{listen}"), Timeout = TimeSpan.FromSeconds(10) };
        await using var worker = WorkerProcess.Start(["run", .. servers.WorkerSettings(topic, topic, database), "--set", $"Http:Listen={listen}",
            "--set", "Logging:Format=json"]);
        var notReady = new List<string>();
        DateTimeOffset? readyAt = null;
        for (var (deadline, poll) = (DateTime.UtcNow.AddMinutes(2), 0); DateTime.UtcNow < deadline && readyAt is null; poll++)
        {
            HttpResponseMessage answer;
            try
            {
                answer = await http.GetAsync("/readyz");
            }
            catch (HttpRequestException)
            {
                await Task.Delay(10); // not listening yet
                continue;
            }
            if (poll % 20 == 0) Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
            if (answer.StatusCode == HttpStatusCode.OK) readyAt = DateTimeOffset.UtcNow;
            else notReady.Add(await answer.Content.ReadAsStringAsync());
        }
        Assert.True(readyAt is not null, string.Join("\n", notReady.TakeLast(3)));
        Assert.All(notReady, body => Assert.Contains("\"ready\":false", body));

        // Each partition logs its restore before it counts as restored: the first 200 came after every partition's first
        // such line (a rebalance later would restore some again).
        await worker.WaitForLogAsync("{Customers} customers from", TimeSpan.FromMinutes(1), times: 4); // once a line: the template
        var firstRestores = RestoreLines(worker.StandardError).GroupBy(line => line.Partition).Select(lines => lines.MinBy(line => line.At)).ToList();
        Assert.Equal(4, firstRestores.Count);
        Assert.True(firstRestores.Sum(line => line.Customers) > 50_000, worker.StandardError);
        Assert.True(firstRestores.Max(line => line.At) <= readyAt, $"ready at {readyAt:O}, before a restore finished:\n{worker.StandardError}");
        worker.Terminate();
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromMinutes(1));
        Assert.True(exitCode == 0, worker.StandardError);
    }

    private static IEnumerable<(int Partition, DateTimeOffset At, long Customers)> RestoreLines(string jsonLog) =>
        jsonLog.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => System.Text.Json.JsonSerializer.Deserialize<LogLine>(line)!)
            .Select(entry => (entry.Timestamp, Match: PartitionRestoredLine().Match(entry.Message)))
            .Where(entry => entry.Match.Success)
            .Select(entry => (int.Parse(entry.Match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), entry.Timestamp,
                long.Parse(entry.Match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)));

    private sealed record LogLine(DateTimeOffset Timestamp, string Message);

    [GeneratedRegex(@"^Partition (\d+) restored (\d+) customers")]
    private static partial Regex PartitionRestoredLine();
}
