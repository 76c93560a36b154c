using Microsoft.Extensions.Logging;
using StreamMetrics.Core.Redaction;
using StreamMetrics.Influx.Writing;
using StreamMetrics.Worker.Options;
using StreamMetrics.Worker.Pipeline;

namespace StreamMetrics.Bench;

/// <summary>Where the bench writes points: the InfluxDB of <c>Influx:Url</c> when set, else a temporary line-protocol file, deleted afterwards.</summary>
internal sealed class BenchSink : IAsyncDisposable
{
    private readonly string? _file;

    private BenchSink(IPointSink sink, string destination, string? file)
    {
        Sink = sink;
        Destination = destination;
        _file = file;
    }

    public IPointSink Sink { get; }

    public string Destination { get; }

    public static BenchSink Create(WorkerSettings settings, ILoggerFactory loggers)
    {
        if (!string.IsNullOrWhiteSpace(settings.Influx.Url))
            return new BenchSink(new InfluxPointSink(new InfluxWriter(settings.Influx, loggers.CreateLogger<InfluxWriter>())), UrlRedaction.Redact(settings.Influx.Url), null);
        return TemporaryFile("bench");
    }

    /// <summary>A temporary line-protocol file named after <paramref name="name"/>, deleted afterwards, whatever <c>Influx:Url</c> says.</summary>
    public static BenchSink TemporaryFile(string name)
    {
        var file = Path.Combine(Path.GetTempPath(), $"streammetrics-{name}-{Environment.ProcessId}-{Guid.NewGuid():N}.lp");
        return new BenchSink(new LineProtocolFileSink(file), "a line-protocol file (set Influx:Url for influxd)", file);
    }

    public async ValueTask DisposeAsync()
    {
        await Sink.DisposeAsync();
        if (_file is not null) File.Delete(_file);
    }
}
