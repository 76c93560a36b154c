using System.Text;
using StreamMetrics.Influx.Writing;

namespace StreamMetrics.Influx.Tests.Writing;

/// <summary>Keeps what the writer hands over; fails the first <c>failures</c> calls, as a dead-letter topic out of reach would.</summary>
public sealed class RecordingRefusedPointSink(int failures = 0) : IRefusedPointSink
{
    private readonly List<RefusedPoint> _points = [];
    private int _calls;

    public IReadOnlyList<RefusedPoint> Points { get { lock (_points) return [.. _points]; } }

    public int Calls => Volatile.Read(ref _calls);

    public IReadOnlyList<string> Lines => [.. Points.Select(p => Encoding.UTF8.GetString(p.Line.Span).TrimEnd('\n'))];

    public Task AddAsync(IReadOnlyList<RefusedPoint> points, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _calls) <= failures) throw new InvalidOperationException("dead-letter topic out of reach");
        lock (_points) _points.AddRange(points);
        return Task.CompletedTask;
    }
}
