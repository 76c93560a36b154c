using System.Buffers;
using StreamMetrics.Influx.LineProtocol;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>Writes points as line protocol to a file: the demo's sink when no InfluxDB is configured.</summary>
/// <remarks>
/// A point counts as acknowledged once it is flushed to the file. Both pipelines (orders and demand)
/// submit here, so one submission is written at a time.
/// </remarks>
public sealed class LineProtocolFileSink(string path) : IPointSink
{
    private readonly FileStream _file = new(path, FileMode.Create, FileAccess.Write, FileShare.Read);
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _acked;

    public long AckedPoints => Interlocked.Read(ref _acked);

    public long RefusedPoints => 0;

    /// <summary>Points that could not be encoded, each with its reason.</summary>
    public List<string> Rejected { get; } = [];

    public async ValueTask<Task> SubmitAsync(IReadOnlyList<Point> points, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _buffer.ResetWrittenCount();
            var written = 0;
            foreach (var point in points)
            {
                if (LineProtocolEncoder.TryWrite(point, _buffer) is { } reason) Rejected.Add(reason);
                else written++;
            }
            await _file.WriteAsync(_buffer.WrittenMemory, cancellationToken);
            await _file.FlushAsync(cancellationToken);
            Interlocked.Add(ref _acked, written);
        }
        finally
        {
            _gate.Release();
        }
        return Task.CompletedTask;
    }

    public Task FlushAsync(CancellationToken cancellationToken) => _file.FlushAsync(cancellationToken);

    public ValueTask DisposeAsync()
    {
        _gate.Dispose();
        return _file.DisposeAsync();
    }
}
