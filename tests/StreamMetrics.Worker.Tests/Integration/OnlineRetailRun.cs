using System.Runtime.CompilerServices;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>
/// Online Retail replayed once per server fixture to the topic <see cref="Topic"/>, and read once by
/// <c>run --until-caught-up --end-time 2011-12-10T00:00:00Z</c> into the database <see cref="Database"/>:
/// the end-to-end test and the README's queries share that run instead of replaying again.
/// </summary>
public static class OnlineRetailRun
{
    public const string Topic = "retail", Database = "retail", GroupId = "retail-first";

    public static readonly DateTimeOffset EndTime = DateTimeOffset.Parse("2011-12-10T00:00:00Z");

    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(5);
    private static readonly ConditionalWeakTable<ServersFixture, Lazy<Task>> Replays = new();
    private static readonly ConditionalWeakTable<ServersFixture, Lazy<Task<Outcome>>> Runs = new();

    /// <summary>What the run printed, and when it started and ended (wall clock, as its <c>pipeline</c> points).</summary>
    public sealed record Outcome(int ExitCode, string Stderr, DateTimeOffset Started, DateTimeOffset Ended);

    /// <summary>The topic holds Online Retail's 22,190 orders (purchases and returns with a customer id).</summary>
    public static Task ReplayedAsync(ServersFixture servers) =>
        Replays.GetValue(servers, s => new Lazy<Task>(() => ReplayAsync(s))).Value;

    /// <summary>The run with <c>--end-time</c> has ended; a pipeline point every second, so that a short run writes some.</summary>
    public static Task<Outcome> EndTimeRunAsync(ServersFixture servers) =>
        Runs.GetValue(servers, s => new Lazy<Task<Outcome>>(() => RunOnceAsync(s))).Value;

    private static async Task ReplayAsync(ServersFixture servers)
    {
        var replay = await WorkerProcess.RunAsync(
            ["replay", "--format", "online-retail", "--file", OnlineRetailCsv.Path, "--topic", Topic,
             "--set", $"Kafka:BootstrapServers={servers.Kafka.BootstrapServers}"], ProcessTimeout);
        Assert.True(replay.ExitCode == 0, replay.Stderr);
    }

    private static async Task<Outcome> RunOnceAsync(ServersFixture servers)
    {
        await ReplayedAsync(servers);
        await servers.Influx.CreateDatabaseAsync(Database);
        var started = DateTimeOffset.UtcNow;
        var run = await WorkerProcess.RunAsync(
            ["run", "--until-caught-up", "--end-time", "2011-12-10T00:00:00Z", .. servers.WorkerSettings(Topic, GroupId, Database),
             "--set", "Metrics:ReportInterval=00:00:01"], ProcessTimeout);
        return new Outcome(run.ExitCode, run.Stderr, started, DateTimeOffset.UtcNow);
    }
}
