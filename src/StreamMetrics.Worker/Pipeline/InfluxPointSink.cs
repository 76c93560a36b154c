using StreamMetrics.Influx.LineProtocol;
using StreamMetrics.Influx.Writing;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>Sends points to InfluxDB through the batching writer.</summary>
public sealed class InfluxPointSink(InfluxWriter writer) : IPointSink
{
    public long AckedPoints => writer.Counters.Acked;

    public long RefusedPoints => writer.Counters.Rejected;

    public ValueTask<Task> SubmitAsync(IReadOnlyList<Point> points, CancellationToken cancellationToken) =>
        writer.SubmitAsync(points, cancellationToken);

    public Task FlushAsync(CancellationToken cancellationToken) => writer.FlushAsync(cancellationToken);

    public ValueTask DisposeAsync() => writer.DisposeAsync();
}
