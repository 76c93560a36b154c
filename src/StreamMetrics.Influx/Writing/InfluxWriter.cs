using System.Buffers;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StreamMetrics.Influx.LineProtocol;

namespace StreamMetrics.Influx.Writing;

/// <summary>
/// Writes points to InfluxDB in batches, by size and by time, from a bounded buffer. It never drops a
/// point: every point submitted ends up acknowledged, rejected with a logged reason (and handed to the
/// <see cref="IRefusedPointSink"/> when there is one), or still buffered (<see cref="Counters"/>). When the
/// buffer is full, <see cref="SubmitAsync"/> waits: that is how the pipeline learns to pause.
/// </summary>
public sealed class InfluxWriter : IAsyncDisposable
{
    private static readonly TimeSpan RefusalLogInterval = TimeSpan.FromMinutes(1);

    private readonly InfluxOptions _options;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly InfluxRequests _requests;
    private readonly IRefusedPointSink? _refused;
    private readonly object _gate = new();
    private readonly Queue<BufferedLine> _queue = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _flushWaiters = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _sendLoop;
    private TaskCompletionSource _wakeLoop = NewSignal();
    private TaskCompletionSource _spaceFreed = NewSignal();
    private long _enqueued;
    private long _completed;
    private int _inBuffer;
    private DateTimeOffset _refusalLogged = DateTimeOffset.MinValue;

    public InfluxWriter(InfluxOptions options, ILogger<InfluxWriter>? logger = null, HttpMessageHandler? handler = null, TimeProvider? time = null,
        IRefusedPointSink? refused = null)
    {
        _refused = refused;
        _options = options;
        _log = logger ?? (ILogger)NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _requests = new InfluxRequests(options, handler);
        _sendLoop = Task.Run(SendLoopAsync);
    }

    public InfluxWriterCounters Counters { get; } = new();

    /// <summary>Waits for room in the buffer, then returns a task that completes when all these points are acknowledged or rejected.</summary>
    public async ValueTask<Task> SubmitAsync(IReadOnlyList<Point> points, CancellationToken ct = default)
    {
        Counters.AddSubmitted(points.Count);
        var submission = new Submission();
        var lines = new List<BufferedLine>(points.Count);
        foreach (var point in points)
        {
            var buffer = new ArrayBufferWriter<byte>(128);
            if (LineProtocolEncoder.TryWrite(point, buffer) is { } reason)
            {
                Counters.AddRejected(1);
                _log.LogWarning("Point of {Measurement} rejected before sending: {Reason}", point.Measurement, reason);
                continue;
            }
            lines.Add(new BufferedLine(buffer.WrittenMemory, point.Measurement, submission));
        }
        submission.Remaining = lines.Count;
        if (lines.Count == 0) return Task.CompletedTask;

        while (true)
        {
            Task spaceFreed;
            lock (_gate)
            {
                // An empty buffer takes any submission, so one larger than the bound cannot wait forever.
                if (_inBuffer == 0 || _inBuffer + lines.Count <= _options.MaxBufferedPoints)
                {
                    foreach (var line in lines) _queue.Enqueue(line);
                    _inBuffer += lines.Count;
                    _enqueued += lines.Count;
                    if (_queue.Count >= _options.BatchSize) _wakeLoop.TrySetResult();
                    return submission.Done.Task;
                }
                spaceFreed = _spaceFreed.Task;
            }
            await spaceFreed.WaitAsync(ct);
        }
    }

    /// <summary>Completes when everything submitted so far is acknowledged or rejected.</summary>
    public Task FlushAsync(CancellationToken ct = default)
    {
        var done = NewSignal();
        lock (_gate)
        {
            if (_completed >= _enqueued) return Task.CompletedTask;
            _flushWaiters.Add((_enqueued, done));
            _wakeLoop.TrySetResult();
        }
        return done.Task.WaitAsync(ct);
    }

    private async Task SendLoopAsync()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            List<BufferedLine> batch;
            Task wake;
            lock (_gate)
            {
                wake = _wakeLoop.Task;
                var flushing = _flushWaiters.Count > 0;
                batch = _queue.Count >= _options.BatchSize || (flushing && _queue.Count > 0) ? TakeBatch() : [];
            }
            if (batch.Count == 0)
            {
                // Wait for a full batch, a flush, or the flush interval, whichever comes first.
                var timedOut = await Task.WhenAny(wake, Task.Delay(_options.FlushInterval, _time, stopping)) != wake;
                if (stopping.IsCancellationRequested) return;
                lock (_gate)
                {
                    if (_wakeLoop.Task.IsCompleted) _wakeLoop = NewSignal();
                    if (timedOut && _queue.Count > 0) batch = TakeBatch();
                }
                if (batch.Count == 0) continue;
            }
            try
            {
                var refused = new List<RefusedPoint>();
                await SendAsync(batch, attemptsSoFar: 0, refused, stopping);
                if (refused.Count > 0) await RefuseAsync(refused, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            Complete(batch);
        }
    }

    private List<BufferedLine> TakeBatch()
    {
        var batch = new List<BufferedLine>(Math.Min(_queue.Count, _options.BatchSize));
        while (batch.Count < _options.BatchSize && _queue.TryDequeue(out var line)) batch.Add(line);
        return batch;
    }

    private void Complete(List<BufferedLine> batch)
    {
        foreach (var line in batch)
            if (Interlocked.Decrement(ref line.Owner.Remaining) == 0) line.Owner.Done.TrySetResult();
        lock (_gate)
        {
            _inBuffer -= batch.Count;
            _completed += batch.Count;
            _spaceFreed.TrySetResult();
            _spaceFreed = NewSignal();
            _flushWaiters.RemoveAll(waiter =>
            {
                if (waiter.Target > _completed) return false;
                waiter.Done.TrySetResult();
                return true;
            });
        }
    }

    /// <summary>
    /// Sends until every point of the batch is acknowledged or, alone in a request, refused for good (added to
    /// <paramref name="refused"/>); retries everything else, never drops.
    /// </summary>
    /// <remarks>
    /// A 400 does not say which points it refused (InfluxDB 1.x writes the others, 2.x none), so a refused batch is
    /// sent again in halves down to single points; points written twice are overwritten with themselves.
    /// </remarks>
    private async Task SendAsync(IReadOnlyList<BufferedLine> batch, int attemptsSoFar, List<RefusedPoint> refused, CancellationToken stopping)
    {
        for (var attempt = attemptsSoFar; ; attempt++)
        {
            if (attempt > attemptsSoFar) Counters.AddRetry();
            var started = _time.GetTimestamp();
            var outcome = await _requests.SendAsync(batch.Select(l => l.Bytes), stopping);
            var answered = outcome.Kind is SendOutcomeKind.Acknowledged or SendOutcomeKind.Rejected or SendOutcomeKind.TooLarge;
            Counters.RecordWrite(_time.GetElapsedTime(started), answered ? null : outcome.Reason);
            switch (outcome.Kind)
            {
                case SendOutcomeKind.Acknowledged:
                    if (attempt > 0) _log.LogInformation("InfluxDB accepts writes again after {Attempts} attempts", attempt + 1);
                    Counters.AddAcked(batch.Count);
                    return;
                case SendOutcomeKind.Rejected or SendOutcomeKind.TooLarge when batch.Count == 1:
                    refused.Add(new RefusedPoint(batch[0].Bytes, batch[0].Measurement, outcome.Reason));
                    return;
                case SendOutcomeKind.Rejected or SendOutcomeKind.TooLarge:
                    if (outcome.Kind == SendOutcomeKind.TooLarge) _log.LogInformation("InfluxDB refused {Points} points as too large (413): sending them in halves", batch.Count);
                    var half = batch.Count / 2;
                    await SendAsync(batch.Take(half).ToList(), attempt, refused, stopping);
                    await SendAsync(batch.Skip(half).ToList(), attempt, refused, stopping);
                    return;
                case SendOutcomeKind.Refused:
                    // Once a minute, not once: a refusal (a dropped database, a revoked token) lasts until someone acts on it.
                    if (attempt == attemptsSoFar || _time.GetUtcNow() - _refusalLogged >= RefusalLogInterval)
                    {
                        _refusalLogged = _time.GetUtcNow();
                        _log.LogError("InfluxDB refuses writes: {Reason}. Points stay buffered and are retried every {Delay}", outcome.Reason, _options.MaxRetryDelay);
                    }
                    await Task.Delay(_options.MaxRetryDelay, _time, stopping);
                    break;
                default:
                    var delay = RetryDelay(attempt, outcome.RetryAfter);
                    if (attempt == attemptsSoFar) _log.LogWarning("InfluxDB write failed ({Reason}); retrying with back-off, first in {Delay}", outcome.Reason, delay);
                    await Task.Delay(delay, _time, stopping);
                    break;
            }
        }
    }

    /// <summary>Hands refused points to the sink, retrying until it has them: the submissions they belong to wait meanwhile.</summary>
    private async Task RefuseAsync(IReadOnlyList<RefusedPoint> refused, CancellationToken stopping)
    {
        _log.LogWarning("InfluxDB refused {Points} points for good{Where}; the first: {Reason}", refused.Count,
            _refused is null ? "" : ", handing them to the dead-letter topic", refused[0].Reason);
        for (var attempt = 0; _refused is not null; attempt++)
        {
            try
            {
                await _refused.AddAsync(refused, stopping);
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var delay = RetryDelay(attempt, null);
                _log.LogError("Could not store {Points} refused points ({Error}); retrying in {Delay}", refused.Count, e.Message, delay);
                await Task.Delay(delay, _time, stopping);
            }
        }
        Counters.AddRejected(refused.Count);
    }

    /// <summary>Exponential back-off with full jitter, or the server's Retry-After; capped either way.</summary>
    private TimeSpan RetryDelay(int attempt, TimeSpan? retryAfter)
    {
        var cap = _options.MaxRetryDelay;
        if (retryAfter is { } asked) return asked < TimeSpan.Zero ? TimeSpan.Zero : asked > cap ? cap : asked;
        var exponential = TimeSpan.FromMilliseconds(100 * Math.Pow(2, Math.Min(attempt, 20)));
        var ceiling = exponential > cap ? cap : exponential;
        return ceiling * (0.5 + Random.Shared.NextDouble() / 2);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try { await _sendLoop; }
        catch (OperationCanceledException) { }
        _requests.Dispose();
        _stopping.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Submission
    {
        public int Remaining;

        public TaskCompletionSource Done { get; } = NewSignal();
    }

    private sealed record BufferedLine(ReadOnlyMemory<byte> Bytes, string Measurement, Submission Owner);
}
