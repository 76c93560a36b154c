using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>DESIGN §5 under faults: whatever happens to the workers, InfluxDB ends up holding what one clean run writes.</summary>
[Collection(nameof(ServersCollection))]
public sealed partial class CrashRecoveryTests(ServersFixture servers, ITestOutputHelper output)
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(5);
    private static readonly DateTimeOffset EndTime = DateTimeOffset.Parse("2011-12-10T00:00:00Z");
    private static readonly string[] FinalRun = ["run", "--until-caught-up", "--end-time", "2011-12-10T00:00:00Z"];

    private async Task ReplayOnlineRetailAsync(string topic)
    {
        var replay = await WorkerProcess.RunAsync(
            ["replay", "--format", "online-retail", "--file", OnlineRetailCsv.Path, "--topic", topic,
             "--set", $"Kafka:BootstrapServers={servers.Kafka.BootstrapServers}"], ProcessTimeout);
        Assert.True(replay.ExitCode == 0, replay.Stderr);
    }

    private async Task CleanRunAsync(string topic, string database)
    {
        await servers.Influx.CreateDatabaseAsync(database);
        var clean = await WorkerProcess.RunAsync([.. FinalRun, .. servers.WorkerSettings(topic, database, database)], ProcessTimeout);
        Assert.True(clean.ExitCode == 0, clean.Stderr);
    }

    private async Task AssertSameOutputAsync(string expectedDatabase, string actualDatabase)
    {
        var expected = await ActivitySums.AllPointsAsync(servers.Influx, expectedDatabase);
        Assert.True(expected.Count > 10_000);
        Assert.Equal(expected, await ActivitySums.AllPointsAsync(servers.Influx, actualDatabase));
        var expectedTotals = await ActivitySums.MetricTotalsAsync(servers.Influx, expectedDatabase, EndTime);
        Assert.Equal(4_372, expectedTotals.Count);
        Assert.Equal(expectedTotals, await ActivitySums.MetricTotalsAsync(servers.Influx, actualDatabase, EndTime));
    }

    [Fact]
    public async Task Five_kill_9s_at_random_moments_then_a_final_run_write_exactly_what_a_clean_run_writes()
    {
        const string topic = "crash-orders", killed = "crash_killed";
        await ReplayOnlineRetailAsync(topic);
        await CleanRunAsync(topic, "crash_clean");
        await servers.Influx.CreateDatabaseAsync(killed);

        var random = new Random(20261129);
        var restored = 0L;
        for (var kill = 1; kill <= 5; kill++)
        {
            await using var worker = WorkerProcess.Start(["run", .. servers.WorkerSettings(topic, killed, killed)]);
            await worker.WaitForLogAsync("restored", ProcessTimeout, times: 4);
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(1000, 6000)));
            worker.Kill();
            restored += RestoredCustomers(worker.StandardError);
            output.WriteLine($"kill {kill}: restored {RestoredCustomers(worker.StandardError)} customers, killed after {worker.StandardError.Split('\n').Length} log lines");
        }

        var final = await WorkerProcess.RunAsync([.. FinalRun, .. servers.WorkerSettings(topic, killed, killed)], ProcessTimeout);
        output.WriteLine(final.Stderr);
        Assert.True(final.ExitCode == 0, final.Stderr);
        Assert.True(restored + RestoredCustomers(final.Stderr) > 0, "no process restored anything from the changelog");
        await AssertSameOutputAsync("crash_clean", killed);
    }

    private static long RestoredCustomers(string log) =>
        RestoredLine().Matches(log).Sum(m => long.Parse(m.Groups[1].Value));

    [GeneratedRegex(@"restored (\d+) customers")]
    private static partial Regex RestoredLine();
}
