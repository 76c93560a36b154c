using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using StreamMetrics.Influx.Writing;
using StreamMetrics.Worker.Pipeline;

namespace StreamMetrics.Worker.Observability.Live;

/// <summary>
/// The live web view at <c>/</c>: a page and its scripts served from the assembly's resources (no files
/// on disk to deploy), and <c>/api/live</c>, the JSON the page polls.
/// </summary>
public static class LiveView
{
    private const string ResourcePrefix = "web/";
    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(1);
    /// <summary>How <c>/api/live</c> spells its JSON (camelCase), for the page and for tests that serve figures of their own.</summary>
    internal static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public static void Map(WebApplication app, WorkerMetrics metrics, PipelineStats stats, InfluxWriterCounters? influx, TimeProvider time)
    {
        MapPage(app);
        var throughput = new ThroughputHistory();
        _ = SampleAsync(throughput, stats, time, app.Lifetime.ApplicationStopping);
        app.MapGet("/api/live", async (CancellationToken cancellation) =>
        {
            await metrics.UpdateAsync(cancellation);
            return Results.Json(LiveFigures.Gather(time.GetUtcNow(), metrics, stats, influx, throughput), Json);
        });
    }

    /// <summary>The page, its script and styles, and the vendored uPlot, from the assembly's resources.</summary>
    internal static void MapPage(IEndpointRouteBuilder app)
    {
        var assembly = typeof(LiveView).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var path = name[ResourcePrefix.Length..];
            var content = Read(assembly, name);
            var type = ContentType(path);
            app.MapGet(path == "index.html" ? "/" : "/" + path, () => Results.Bytes(content, type));
        }
    }

    private static async Task SampleAsync(ThroughputHistory throughput, PipelineStats stats, TimeProvider time, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(SampleInterval, time);
        throughput.Sample(time.GetUtcNow(), stats.OrdersApplied);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping)) throughput.Sample(time.GetUtcNow(), stats.OrdersApplied);
        }
        catch (OperationCanceledException)
        {
            // the server is stopping: sampling ends with it
        }
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    private static string ContentType(string path) => Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        _ => "text/plain; charset=utf-8",
    };
}
