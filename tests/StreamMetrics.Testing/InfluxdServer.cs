using System.Text.Json;

namespace StreamMetrics.Testing;

/// <summary>A real InfluxDB 1.x (<c>influxd</c> from Debian) on a free loopback port, with its data in a temporary directory.</summary>
public sealed class InfluxdServer : IAsyncDisposable
{
    private readonly HttpClient _http = new();
    private readonly string _config;
    private ServerProcess _process;

    private InfluxdServer(ServerProcess process, string config, string url)
    {
        _process = process;
        _config = config;
        Url = url;
    }

    public string Url { get; }

    /// <summary>What influxd has logged since it last started.</summary>
    public string Log => _process.Output;

    /// <param name="authEnabled">Requires credentials; the first user, created without any, must be an admin (<c>CREATE USER … WITH ALL PRIVILEGES</c>).</param>
    public static async Task<InfluxdServer> StartAsync(long maxSeriesPerDatabase = 1_000_000, bool authEnabled = false)
    {
        var directory = Directory.CreateTempSubdirectory("influxd-").FullName;
        var port = FreeTcpPort.Next();
        var config = Path.Combine(directory, "influxdb.conf");
        await File.WriteAllTextAsync(config, $"""
            reporting-disabled = true
            bind-address = "127.0.0.1:{FreeTcpPort.Next()}"
            [meta]
              dir = "{directory}/meta"
            [data]
              dir = "{directory}/data"
              wal-dir = "{directory}/wal"
              max-series-per-database = {maxSeriesPerDatabase}
              query-log-enabled = false
              # A shard's cache, once written, is never snapshotted while tests run, so the shard is never idle again:
              # see CreateDatabaseAsync.
              cache-max-memory-size = 0
              cache-snapshot-memory-size = "64g"
              cache-snapshot-write-cold-duration = "1000h"
            [coordinator]
              # Beside the other test servers on two cores, a write of 5,000 points has taken longer than the default 10 s.
              write-timeout = "60s"
            [http]
              bind-address = "127.0.0.1:{port}"
              log-enabled = false
              auth-enabled = {(authEnabled ? "true" : "false")}
            [monitor]
              store-enabled = false
            """);
        var server = new InfluxdServer(Launch(config, directory), config, $"http://127.0.0.1:{port}");
        try
        {
            await server.WaitUntilReadyAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    private static ServerProcess Launch(string config, string directory) =>
        ServerProcess.Start("influxd", ["-config", config], directory, "apt-get install -y influxdb");

    private Task WaitUntilReadyAsync() => _process.WaitUntilReadyAsync($"{Url}/ping", TimeSpan.FromSeconds(60));

    /// <summary>An outage: the server is killed; its data stays for <see cref="StartAgainAsync"/>.</summary>
    public Task StopAsync() => _process.StopAsync();

    /// <summary>Ends an outage: the same server, on the same port and data, answers again.</summary>
    public async Task StartAgainAsync()
    {
        _process = Launch(_config, _process.Directory);
        await WaitUntilReadyAsync();
    }

    /// <summary>The measurement of the points that open a test database's shards; no worker writes it.</summary>
    public const string OpeningMeasurement = "test_shard_opening";

    // Shard groups of 2080 weeks start on 1954-05-03, 1994-03-14, 2034-01-23 and 2073-12-04: one of them holds every
    // date the tests use (1997 to 2011, and today), and a point in each of these years opens all four.
    private const string LongShardDuration = "2080w";
    private static readonly int[] LongShardOpeningYears = [1970, 2000, 2040, 2080];

    /// <summary>
    /// Creates a database whose shards are all open, each with a point of <see cref="OpeningMeasurement"/>, before a
    /// test writes to it. influxd (1.6 here, and as late as 1.12 and 2.7) can acknowledge a write and not answer it
    /// until restarted: every 10 s it frees the cache of each shard it finds idle (empty cache, fully compacted), and
    /// a write that reaches such a shard between that check and the free goes into the store being thrown away
    /// (<c>tsdb/store.go</c> <c>monitorShards</c>, <c>tsm1/cache.go</c> <c>Free</c> and <c>WriteMulti</c>). The
    /// first write into a new shard is the one at risk; this one is ours, and no cache is ever emptied afterwards
    /// (see the configuration above). One shard group for every date keeps the number of shards small.
    /// </summary>
    public Task CreateDatabaseAsync(string database) =>
        CreateOpenedAsync(database, $" WITH SHARD DURATION {LongShardDuration}",
            LongShardOpeningYears.Select(year => new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero)));

    /// <summary>
    /// <see cref="CreateDatabaseAsync"/> with InfluxDB's default shards of a week (Monday to Monday), opened from
    /// <paramref name="from"/> to <paramref name="to"/>: for tests of what influxd checks per shard, such as field types.
    /// </summary>
    public Task CreateDatabaseWithWeeklyShardsAsync(string database, DateTimeOffset from, DateTimeOffset to) =>
        // A point every 7 days from `from` up to one past `to`: one of the last two lies in the week that holds `to`.
        CreateOpenedAsync(database, "", Enumerable.Range(0, (int)((to - from).TotalDays / 7) + 2).Select(week => from.AddDays(7 * week)));

    private async Task CreateOpenedAsync(string database, string shardDuration, IEnumerable<DateTimeOffset> openings)
    {
        using (await QueryAsync(null, $"CREATE DATABASE \"{database}\"{shardDuration}")) { }
        var lines = string.Join('\n', openings.Select(at => $"{OpeningMeasurement} opened=true {at.ToUnixTimeSeconds()}"));
        using var written = await _http.PostAsync($"{Url}/write?db={Uri.EscapeDataString(database)}&precision=s", new StringContent(lines));
        if (!written.IsSuccessStatusCode)
            throw new InvalidOperationException($"Opening the shards of {database}: {(int)written.StatusCode} {await written.Content.ReadAsStringAsync()}");
    }

    /// <summary>Runs InfluxQL and returns the JSON answer; an error in the answer throws.</summary>
    public async Task<JsonDocument> QueryAsync(string? database, string influxQl)
    {
        var form = new Dictionary<string, string> { ["q"] = influxQl, ["epoch"] = "ns" };
        if (database is not null) form["db"] = database;
        using var response = await _http.PostAsync($"{Url}/query", new FormUrlEncodedContent(form));
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var result = document.RootElement.TryGetProperty("results", out var results) ? results[0] : document.RootElement;
        if (result.TryGetProperty("error", out var error)) throw new InvalidOperationException($"InfluxQL '{influxQl}': {error.GetString()}");
        return document;
    }

    /// <summary>The series of the first statement's result (empty when there are none).</summary>
    public static IEnumerable<JsonElement> Series(JsonDocument answer) =>
        answer.RootElement.GetProperty("results")[0].TryGetProperty("series", out var series) ? series.EnumerateArray() : [];

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
    }
}
