namespace StreamMetrics.Influx.Writing;

/// <summary>A point InfluxDB refused for good (a field-type conflict, a time outside the retention policy, too large), with its reason.</summary>
/// <param name="Line">The point in line protocol, newline included.</param>
public sealed record RefusedPoint(ReadOnlyMemory<byte> Line, string Measurement, string Reason);

/// <summary>
/// Where the writer hands the points InfluxDB refuses for good (a dead-letter topic), instead of dropping them:
/// a submission completes only once its refused points are there.
/// </summary>
public interface IRefusedPointSink
{
    /// <summary>Completes when the points are stored; throws when they could not be, and is then called again with them.</summary>
    Task AddAsync(IReadOnlyList<RefusedPoint> points, CancellationToken cancellationToken);
}
