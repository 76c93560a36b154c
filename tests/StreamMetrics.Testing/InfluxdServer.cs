using System.Text.Json;

namespace StreamMetrics.Testing;

/// <summary>A real InfluxDB 1.x (<c>influxd</c> from Debian) on a free loopback port, with its data in a temporary directory.</summary>
public sealed class InfluxdServer : IAsyncDisposable
{
    private readonly ServerProcess _process;
    private readonly HttpClient _http = new();

    private InfluxdServer(ServerProcess process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    public static async Task<InfluxdServer> StartAsync(long maxSeriesPerDatabase = 1_000_000)
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
            [http]
              bind-address = "127.0.0.1:{port}"
              log-enabled = false
            [monitor]
              store-enabled = false
            """);
        var process = ServerProcess.Start("influxd", ["-config", config], directory, "apt-get install -y influxdb");
        var server = new InfluxdServer(process, $"http://127.0.0.1:{port}");
        try
        {
            await process.WaitUntilReadyAsync($"{server.Url}/ping", TimeSpan.FromSeconds(60));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
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
