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
        string[] Run(string database) =>
            ["run", "--until-caught-up", "--end-time", "2011-12-10T00:00:00Z", .. servers.WorkerSettings(topic, database, database),
             "--set", "Demand:Period=1.00:00:00", "--set", "Influx:CustomerSeries=false"];

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
        using (var bgnbd = await servers.Influx.QueryAsync("demand_alone", "SELECT orders, revenue FROM demand_forecast WHERE \"method\" = 'bgnbd'"))
        {
            var days = Testing.InfluxdServer.Series(bgnbd).SelectMany(series => series.GetProperty("values").EnumerateArray()).ToList();
            Assert.Equal(14, days.Count);
            Assert.All(days, day => Assert.True(day[1].GetDouble() > 0 && day[2].GetDouble() > day[1].GetDouble()));
        }

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
}
