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

    public async Task CreateDatabaseAsync(string database)
    {
        using var query = await QueryAsync(null, $"CREATE DATABASE \"{database}\"");
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
