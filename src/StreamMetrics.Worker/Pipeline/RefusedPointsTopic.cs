using System.Text;
using Confluent.Kafka;
using StreamMetrics.Influx.Writing;
using StreamMetrics.Kafka.Producers;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>
/// The dead-letter topic of points InfluxDB refuses for good (<c>Influx:DeadLetterTopic</c>): value = the point's
/// line protocol, key = its series (measurement and tags), headers <c>error</c> (InfluxDB's message),
/// <c>measurement</c>, and <c>database</c> or <c>bucket</c>. The writer completes the points' submission, and so
/// lets their offsets be committed, only once the broker has them.
/// </summary>
public sealed class RefusedPointsTopic(RecordCollector records, string topic, InfluxOptions influx) : IRefusedPointSink
{    private readonly (string Name, byte[] Value) _target = influx.IsV2 ? ("bucket", Encoding.UTF8.GetBytes(influx.Bucket)) : ("database", Encoding.UTF8.GetBytes(influx.Database));

    public string Topic => topic;

    public Task AddAsync(IReadOnlyList<RefusedPoint> points, CancellationToken cancellationToken) =>
        Task.WhenAll(points.Select(point => records.SendAsync(topic, new Message<byte[]?, byte[]?>
        {
            Key = SeriesKey(point.Line.Span).ToArray(),
            Value = point.Line.ToArray(),
            Headers = new Headers
            {
                { "error", Encoding.UTF8.GetBytes(point.Reason) },
                { "measurement", Encoding.UTF8.GetBytes(point.Measurement) },
                { _target.Name, _target.Value },
            },
        })));

    /// <summary>The line up to its first unescaped space: one series' refusals land in one partition, in order.</summary>
    private static ReadOnlySpan<byte> SeriesKey(ReadOnlySpan<byte> line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == (byte)'\\') i++;
            else if (line[i] == (byte)' ') return line[..i];
        }
        return line;
    }
}
