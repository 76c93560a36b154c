using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Prometheus;
using StreamMetrics.Influx.Writing;
using StreamMetrics.Worker.Hosting;
using StreamMetrics.Worker.Observability.Live;
using StreamMetrics.Worker.Options;
using StreamMetrics.Worker.Pipeline;

namespace StreamMetrics.Worker.Observability;

/// <summary>
/// The worker's HTTP listener (<c>Http:Listen</c>): <c>/metrics</c> for Prometheus, <c>/healthz</c> (the
/// process answers) and <c>/readyz</c> (the worker owns partitions, every one of them is restored, and
/// InfluxDB answered its last write), with a JSON body saying why when not ready; and the live view at <c>/</c>.
/// </summary>
public static class MetricsServer
{
    /// <summary>Starts listening on <c>Http:Listen</c>; null when it is empty (turned off).</summary>
    public static async Task<WebApplication?> ServeAsync(WorkerSettings settings, WorkerMetrics metrics, PipelineStats stats, InfluxWriterCounters? influx, ILogger log)
    {
        if (settings.Http.Listen.Length == 0) return null;
        try
        {
            var server = await StartAsync(settings.Http.Listen, metrics, stats, influx);
            log.LogInformation("Serving /metrics, /healthz, /readyz and the live view on http://{Listen}/", settings.Http.Listen);
            return server;
        }
        catch (IOException e)
        {
            throw new SettingsException($"Http:Listen {settings.Http.Listen} cannot be listened on ({e.Message}); choose another address, or empty to turn it off");
        }
    }

    private static async Task<WebApplication> StartAsync(string listen, WorkerMetrics metrics, PipelineStats stats, InfluxWriterCounters? influx)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPEndPoint.Parse(listen)));
        var app = builder.Build();
        app.MapMetrics("/metrics", metrics.Registry);
        app.MapGet("/healthz", () => Results.Text("alive\n"));
        app.MapGet("/readyz", () =>
        {
            var reasons = new List<string>();
            if (stats.WaitingFor is { } waiting) reasons.Add(waiting);
            // A worker without partitions does no work yet (joining the group, or more workers than partitions).
            if (stats.AssignedPartitions.Count == 0 && stats.RestoringPartitions.Count == 0) reasons.Add("no partition assigned");
            reasons.AddRange(stats.RestoringPartitions.Select(p => $"partition {p} is restoring its state from the changelog"));
            if (influx?.LastWriteProblem is { } problem) reasons.Add($"InfluxDB did not answer the last write: {problem}");
            var body = JsonSerializer.Serialize(new { ready = reasons.Count == 0, reasons, partitions = stats.AssignedPartitions });
            return Results.Text(body, "application/json", statusCode: reasons.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        LiveView.Map(app, metrics, stats, influx, TimeProvider.System);
        await app.StartAsync();
        return app;
    }
}
