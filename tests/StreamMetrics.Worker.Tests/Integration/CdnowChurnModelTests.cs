using StreamMetrics.Core.Churn;

namespace StreamMetrics.Worker.Tests.Integration;

[Collection(nameof(ServersCollection))]
public sealed class CdnowChurnModelTests(ServersFixture servers)
{
    private static readonly DateTimeOffset CalibrationEnd = DateTimeOffset.Parse("1997-09-30T00:00:00Z");

    [Fact]
    public async Task The_CDNOW_calibration_fits_the_papers_model_and_every_customer_gets_its_closed_form_figures()
    {
        const string database = "cdnow";
        await ReplayAndRunCalibrationAsync("cdnow", database);

        using var model = await servers.Influx.QueryAsync(database, "SELECT r, alpha_days, a, b, customers FROM model WHERE partition = '' ORDER BY time DESC LIMIT 1");
        var row = Assert.Single(Testing.InfluxdServer.Series(model)).GetProperty("values")[0];
        var fitted = new BgNbdParameters(row[1].GetDouble(), row[2].GetDouble(), row[3].GetDouble(), row[4].GetDouble());
        Assert.Equal(0.2426, fitted.R, 0.2426 * 0.01);
        Assert.Equal(30.8952, fitted.Alpha, 30.8952 * 0.01);
        Assert.Equal(0.7929, fitted.A, 0.7929 * 0.01);
        Assert.Equal(2.4259, fitted.B, 2.4259 * 0.01);
        Assert.Equal(2_357, row[5].GetInt32());

        using var customers = await servers.Influx.QueryAsync(database, "SELECT last(p_alive), last(expected_orders_90d) FROM customer_metrics GROUP BY customer_id");
        var figures = Testing.InfluxdServer.Series(customers).ToDictionary(
            s => s.GetProperty("tags").GetProperty("customer_id").GetString()!,
            s => (PAlive: s.GetProperty("values")[0][1].GetDouble(), Expected90: s.GetProperty("values")[0][2].GetDouble()));
        var histories = CalibrationHistories();
        Assert.Equal(2_357, figures.Count);
        foreach (var (customer, history) in histories)
        {
            Assert.Equal(BgNbd.PAlive(fitted, history), figures[customer].PAlive, 1e-12);
            Assert.Equal(BgNbd.ExpectedPurchases(fitted, history, 90), figures[customer].Expected90, 1e-9);
        }
    }

    [Fact]
    public async Task Events_alerts_and_segment_figures_come_out_of_the_CDNOW_calibration()
    {
        const string topic = "cdnow-events", database = "cdnow_events";
        await ReplayAndRunCalibrationAsync(topic, database);

        using var events = await servers.Influx.QueryAsync(database, "SELECT count(orders_30d) FROM customer_events GROUP BY \"event\"");
        var counts = Testing.InfluxdServer.Series(events).ToDictionary(
            s => s.GetProperty("tags").GetProperty("event").GetString()!, s => s.GetProperty("values")[0][1].GetInt32());
        Assert.Equal(2_357, counts["new_customer"]);
        Assert.True(counts.GetValueOrDefault("at_risk") > 0 && counts.GetValueOrDefault("churned") > 0, string.Join(", ", counts));

        using var segments = await servers.Influx.QueryAsync(database,
            "SELECT sum(customers) FROM segment_metrics WHERE scheme = 'rfm' AND time = '1997-09-29T00:00:00Z'");
        Assert.Equal(2_357, Testing.InfluxdServer.Series(segments).Single().GetProperty("values")[0][1].GetInt32());

        var alerts = AlertReader.ReadAll(servers.Kafka.BootstrapServers, $"{topic}.alerts", counts.Values.Sum());
        Assert.Equal(counts.Values.Sum(), alerts.Select(a => a.GetProperty("alertId").GetString()).Distinct().Count());
        Assert.All(alerts, a => Assert.Equal(a.GetProperty("customerId").GetString(), a.GetProperty("key").GetString()));
    }

    [Fact]
    public async Task Two_workers_share_their_population_samples_and_each_fits_the_whole_population()
    {
        const string topic = "cdnow-shared", database = "cdnow_shared";
        await servers.Influx.CreateDatabaseAsync(database);
        var replay = await WorkerProcess.RunAsync(
            ["replay", "--format", "cdnow", "--file", Testing.DataSets.Find("cdnow/CDNOW_sample.txt"), "--to", "1997-10-01T00:00:00Z",
             "--topic", topic, "--set", $"Kafka:BootstrapServers={servers.Kafka.BootstrapServers}"], TimeSpan.FromMinutes(3));
        Assert.True(replay.ExitCode == 0, replay.Stderr);

        string[] run = ["run", "--until-caught-up", "--end-time", "1997-09-30T00:00:00Z", .. servers.WorkerSettings(topic, topic, database)];
        await using var first = WorkerProcess.Start(run);
        await using var second = WorkerProcess.Start(run);
        var exits = await Task.WhenAll(first.WaitForExitAsync(TimeSpan.FromMinutes(5)), second.WaitForExitAsync(TimeSpan.FromMinutes(5)));
        Assert.True(exits.All(code => code == 0), first.StandardError + second.StandardError);

        // Each worker logs its final fit; both saw all 2,357 customers, half of them through the other's samples.
        foreach (var worker in new[] { first, second })
            Assert.True(worker.StandardError.Contains("BG/NBD fitted on 2357 customers"), worker.StandardError);
        using var model = await servers.Influx.QueryAsync(database, "SELECT r, alpha_days, a, b, customers FROM model WHERE partition = '' ORDER BY time DESC LIMIT 1");
        var row = Assert.Single(Testing.InfluxdServer.Series(model)).GetProperty("values")[0];
        Assert.Equal(2_357, row[5].GetInt32());
        Assert.Equal(0.2426, row[1].GetDouble(), 0.2426 * 0.01);
        Assert.Equal(30.8952, row[2].GetDouble(), 30.8952 * 0.01);
    }

    /// <summary>The commands: replay CDNOW_sample up to 1997-10-01, then a bounded run measured at 1997-09-30.</summary>
    private async Task ReplayAndRunCalibrationAsync(string topic, string database)
    {
        await servers.Influx.CreateDatabaseAsync(database);
        var replay = await WorkerProcess.RunAsync(
            ["replay", "--format", "cdnow", "--file", Testing.DataSets.Find("cdnow/CDNOW_sample.txt"), "--to", "1997-10-01T00:00:00Z",
             "--topic", topic, "--set", $"Kafka:BootstrapServers={servers.Kafka.BootstrapServers}"], TimeSpan.FromMinutes(3));
        Assert.True(replay.ExitCode == 0, replay.Stderr);
        var run = await WorkerProcess.RunAsync(
            ["run", "--until-caught-up", "--end-time", "1997-09-30T00:00:00Z", .. servers.WorkerSettings(topic, topic, database)], TimeSpan.FromMinutes(5));
        Assert.True(run.ExitCode == 0, run.Stderr);
    }

    /// <summary>Each sample customer's (x, tₓ, T) in days, straight from the file: distinct purchase dates up to the calibration end.</summary>
    private static Dictionary<string, CustomerHistory> CalibrationHistories() =>
        File.ReadLines(Testing.DataSets.Find("cdnow/CDNOW_sample.txt"))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 5)
            .Select(fields => (Customer: fields[1], Day: DateTimeOffset.ParseExact(fields[2], "yyyyMMdd", null, System.Globalization.DateTimeStyles.AssumeUniversal)))
            .Where(purchase => purchase.Day <= CalibrationEnd)
            .GroupBy(purchase => purchase.Customer)
            .ToDictionary(g => g.Key, g =>
            {
                var days = g.Select(p => p.Day).Distinct().Order().ToList();
                return new CustomerHistory(days.Count - 1, (days[^1] - days[0]).TotalDays, (CalibrationEnd - days[0]).TotalDays);
            });
}
