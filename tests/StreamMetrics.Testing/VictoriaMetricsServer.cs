namespace StreamMetrics.Testing;

/// <summary>A real VictoriaMetrics (Debian's <c>victoria-metrics</c>) on a free loopback port: it takes InfluxDB's /api/v2/write. Retention is 100 years, so the data sets' 2010s dates are kept.</summary>
public sealed class VictoriaMetricsServer : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private VictoriaMetricsServer(ServerProcess process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    public static async Task<VictoriaMetricsServer> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("victoria-").FullName;
        var port = FreeTcpPort.Next();
        var process = ServerProcess.Start("victoria-metrics",
            [$"-httpListenAddr=127.0.0.1:{port}", $"-storageDataPath={directory}/data", "-dedup.minScrapeInterval=1ms", "-search.latencyOffset=0s", "-retentionPeriod=100y"],
            directory, "apt-get install -y victoria-metrics");
        var server = new VictoriaMetricsServer(process, $"http://127.0.0.1:{port}");
        try
        {
            await process.WaitUntilReadyAsync($"{server.Url}/health", TimeSpan.FromSeconds(60));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
