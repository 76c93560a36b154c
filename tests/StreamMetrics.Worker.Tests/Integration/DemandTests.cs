using Xunit.Abstractions;

namespace StreamMetrics.Worker.Tests.Integration;

[Collection(nameof(ServersCollection))]
public sealed class DemandTests(ServersFixture servers, ITestOutputHelper output)
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Online_Retail_demand_per_day_equals_the_CSV_at_every_level_and_two_workers_write_what_one_writes()
    {
        const string topic = "demand-orders";
        var replay = await WorkerProcess.RunAsync(
            ["replay", "--format", "online-retail", "--file", OnlineRetailCsv.Path, "--topic", topic,
             "--set", $"Kafka:BootstrapServers={servers.Kafka.BootstrapServers}"], ProcessTimeout);
        Assert.True(replay.ExitCode == 0, replay.Stderr);
        // Each run has its own demand alerts topic: the default one is shared by every test on this cluster.
        string[] Run(string database) =>
            ["run", "--until-caught-up", "--end-time", "2011-12-10T00:00:00Z", .. servers.WorkerSettings(topic, database, database),
             "--set", "Demand:Period=1.00:00:00", "--set", "Influx:CustomerSeries=false", "--set", $"Kafka:DemandAlertsTopic={database}.demand-alerts"];

        await servers.Influx.CreateDatabaseAsync("demand_alone");
        var alone = await WorkerProcess.RunAsync(Run("demand_alone"), ProcessTimeout);
        Assert.True(alone.ExitCode == 0, alone.Stderr);

        var expected = OnlineRetailCsv.DemandPerDay();
        var actual = await ActivitySums.DemandAsync(servers.Influx, "demand_alone");
        output.WriteLine($"{expected.Count} level-key-days expected, {actual.Count} written");
        foreach (var level in new[] { "total", "region", "sku" })
        {
            var wanted = expected.Where(e => e.Key.Level == level).ToDictionary();
            Assert.Equal(wanted.Keys.Order(), actual.Keys.Where(k => k.Level == level).Order());
            foreach (var (key, figures) in wanted)
            {
                var written = actual[key];
                Assert.True((figures.Units, figures.Orders) == (written.Units, written.Orders), $"{key}: expected {figures}, written {written}");
                Assert.Equal((double)figures.Revenue, written.Revenue, 0.005);
            }
        }
        Assert.Equal(18_536, expected.Where(e => e.Key.Level == "total").Sum(e => e.Value.Orders));

        // When the last day closed, the total got forecasts for each of the two weeks after it: a forecast
        // made on that day for horizon h is for the day h − 1 days later.
        var forecasts = await ActivitySums.ForecastsAsync(servers.Influx, "demand_alone");
        var lastDay = DateTimeOffset.Parse("2011-12-10T00:00:00Z");
        var totalFromLastDay = forecasts
            .Select(f => f.Split(' '))
            .Where(f => f.Contains("level=total"))
            .Where(f => DateTimeOffset.UnixEpoch.AddTicks(long.Parse(f[3]) / 100).AddDays(1 - int.Parse(f[0]["horizon=".Length..])) == lastDay)
            .ToList();
        output.WriteLine(string.Join("\n", totalFromLastDay.Select(f => string.Join(' ', f))));
        Assert.Equal(14, totalFromLastDay.Count);
        // Beside it, the customer-based forecast of the final fit: 14 days of expected orders and revenue.
        using (var customerBased = await servers.Influx.QueryAsync("demand_alone", "SELECT orders, revenue FROM demand_forecast WHERE \"method\" =~ /^(bgnbd|pareto_nbd)$/"))
        {
            var days = Testing.InfluxdServer.Series(customerBased).SelectMany(series => series.GetProperty("values").EnumerateArray()).ToList();
            Assert.Equal(14, days.Count);
            Assert.All(days, day => Assert.True(day[1].GetDouble() > 0 && day[2].GetDouble() > day[1].GetDouble()));
        }
        await AssertForecastsAreHonestAsync(actual, lastDay);


        await servers.Influx.CreateDatabaseAsync("demand_pair");
        await using var first = WorkerProcess.Start(Run("demand_pair"));
        await using var second = WorkerProcess.Start(Run("demand_pair"));
        var exits = await Task.WhenAll(first.WaitForExitAsync(ProcessTimeout), second.WaitForExitAsync(ProcessTimeout));
        Assert.True(exits.All(code => code == 0), first.StandardError + second.StandardError);
        Assert.Equal(actual, await ActivitySums.DemandAsync(servers.Influx, "demand_pair"));
        var pairForecasts = await ActivitySums.ForecastsAsync(servers.Influx, "demand_pair");
        if (!forecasts.SequenceEqual(pairForecasts))
            output.WriteLine($"only alone:\n{string.Join("\n", forecasts.Except(pairForecasts).Take(10))}\nonly pair:\n{string.Join("\n", pairForecasts.Except(forecasts).Take(10))}");
        Assert.Equal(forecasts, pairForecasts);
    }

    /// <summary>
    /// What a planner reads over the last 8 weeks before <paramref name="end"/>, on trading days (units &gt; 0 in the
    /// total): the day-ahead 80% band covers 70–95% of them at the total and for the United Kingdom, the
    /// day-ahead forecast's MAE is at most 0.95 × that of the same weekday a week earlier, and total-level
    /// alerts fall on at most 15% of them. Everywhere: the total's forecast is never below a region's, and no
    /// band is a single value while its forecast is positive.
    /// </summary>
    private async Task AssertForecastsAreHonestAsync(
        IReadOnlyDictionary<(string Level, string Key, DateTime Day), (long Units, long Orders, double Revenue)> demand, DateTimeOffset end)
    {
        var bands = await DemandForecastReadBack.BandsAsync(servers.Influx, "demand_alone");
        double Units(string level, string key, DateTime day) => demand.TryGetValue((level, key, day), out var figures) ? figures.Units : 0;
        var window = Enumerable.Range(1, 56).Select(back => end.UtcDateTime.AddDays(-back)).Order().ToList();
        var tradingDays = window.Where(day => Units("total", "all", day) > 0).ToList();
        output.WriteLine($"{tradingDays.Count} trading days from {window[0]:yyyy-MM-dd} to {window[^1]:yyyy-MM-dd}");

        foreach (var (level, key) in new[] { ("total", "all"), ("region", "United Kingdom") })
        {
            var dayAhead = tradingDays.Select(day => (Actual: Units(level, key, day), Band: bands[(level, key, 1, day)], LastWeek: Units(level, key, day.AddDays(-7)))).ToList();
            var coverage = dayAhead.Count(d => d.Actual >= d.Band.Lower && d.Actual <= d.Band.Upper) / (double)dayAhead.Count;
            var mae = dayAhead.Average(d => Math.Abs(d.Actual - d.Band.Forecast));
            var seasonalNaive = dayAhead.Average(d => Math.Abs(d.Actual - d.LastWeek));
            output.WriteLine($"{level} {key}: day-ahead 80% coverage {coverage:P1}, MAE {mae:F1}, seasonal naive {seasonalNaive:F1} ({mae / seasonalNaive:F3} ×)");
            Assert.InRange(coverage, 0.70, 0.95);
            Assert.True(mae <= 0.95 * seasonalNaive, $"{level} {key}: MAE {mae:F1} against seasonal naive {seasonalNaive:F1}");
        }

        var alerts = DemandForecastReadBack.Alerts(servers.Kafka.BootstrapServers, "demand_alone.demand-alerts");
        var totalAlertDays = alerts.Where(a => a.GetProperty("level").GetString() == "total")
            .Select(a => DateTime.SpecifyKind(DateTime.Parse(a.GetProperty("period").GetString()!, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc))
            .Where(tradingDays.Contains).Distinct().Count();
        output.WriteLine($"{alerts.Count} demand alerts in all; total-level alerts on {totalAlertDays} of {tradingDays.Count} trading days");
        Assert.True(totalAlertDays <= 0.15 * tradingDays.Count, $"total-level alerts on {totalAlertDays} of {tradingDays.Count} trading days");

        var below = bands.Where(b => b.Key.Level == "region" && bands.TryGetValue(("total", "all", b.Key.Horizon, b.Key.Day), out var total)
                && total.Forecast < b.Value.Forecast - 1e-9 * Math.Max(1, total.Forecast))
            .Select(b => $"{b.Key}: region {b.Value.Forecast}, total {bands[("total", "all", b.Key.Horizon, b.Key.Day)].Forecast}").ToList();
        Assert.True(below.Count == 0, $"{below.Count} region forecasts above the total's, e.g. {string.Join("; ", below.Take(5))}");
        Assert.Contains(bands.Keys, b => b.Level == "region");
        var degenerate = bands.Where(b => b.Value.Forecast > 0 && b.Value.Lower >= b.Value.Upper).Select(b => $"{b.Key}: {b.Value}").ToList();
        Assert.True(degenerate.Count == 0, $"{degenerate.Count} bands without width, e.g. {string.Join("; ", degenerate.Take(5))}");
    }
}
