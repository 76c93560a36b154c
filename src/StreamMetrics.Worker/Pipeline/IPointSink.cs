using StreamMetrics.Influx.LineProtocol;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>Where the pipeline's points go: InfluxDB, or a line-protocol file when none is configured.</summary>
public interface IPointSink : IAsyncDisposable
{
    /// <summary>Waits for buffer room (the pipeline's backpressure), then returns a task that completes when the points are acknowledged or rejected.</summary>
    ValueTask<Task> SubmitAsync(IReadOnlyList<Point> points, CancellationToken cancellationToken);

    /// <summary>Completes when everything submitted so far is acknowledged or rejected.</summary>
    Task FlushAsync(CancellationToken cancellationToken);

    /// <summary>Points acknowledged so far.</summary>
    long AckedPoints { get; }

    /// <summary>Points refused for good so far (and dead-lettered where a topic takes them).</summary>
    long RefusedPoints { get; }
}
