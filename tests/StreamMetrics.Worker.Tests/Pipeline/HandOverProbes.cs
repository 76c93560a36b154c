using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StreamMetrics.Influx.LineProtocol;
using StreamMetrics.Kafka;
using StreamMetrics.Worker.Pipeline;

namespace StreamMetrics.Worker.Tests.Pipeline;

/// <summary>A sink whose acknowledgements wait for <see cref="Release"/>: a slow InfluxDB.</summary>
internal sealed class HeldSink : IPointSink
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private int _points;

    public bool Released => _released.Task.IsCompleted;

    public long AckedPoints => Released ? _points : 0;

    public long RefusedPoints => 0;

    public void Release() => _released.TrySetResult();

    public Task Submitted(int points)
    {
        lock (_waiters)
        {
            if (_points >= points) return Task.CompletedTask;
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((points, reached));
            return reached.Task;
        }
    }

    public ValueTask<Task> SubmitAsync(IReadOnlyList<Point> points, CancellationToken cancellationToken)
    {
        lock (_waiters)
        {
            _points += points.Count;
            foreach (var (count, reached) in _waiters)
                if (_points >= count) reached.TrySetResult();
        }
        return ValueTask.FromResult(_released.Task);
    }

    public Task FlushAsync(CancellationToken cancellationToken) => _released.Task.WaitAsync(cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>A worker's log lines, each marked with whether the sink's points were released when it was written.</summary>
internal sealed class SequenceLog(HeldSink sink) : ILoggerFactory
{
    private readonly List<(string Text, TaskCompletionSource Said)> _waiters = [];
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines { get { lock (_lines) return [.. _lines]; } }

    /// <summary>Whether a line holding every one of <paramref name="parts"/> was written before the release.</summary>
    public bool SaidBeforeRelease(params string[] parts) =>
        Lines.Any(line => parts.All(part => line.Contains(part, StringComparison.Ordinal)) && line.EndsWith("before the release", StringComparison.Ordinal));

    public Task Said(string text)
    {
        lock (_lines)
        {
            var said = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_lines.Any(line => line.Contains(text, StringComparison.Ordinal))) said.SetResult();
            else _waiters.Add((text, said));
            return said.Task;
        }
    }

    private void Write(string category, string message)
    {
        var line = $"{category}{message} {(sink.Released ? "after" : "before")} the release";
        lock (_lines)
        {
            _lines.Add(line);
            foreach (var (text, said) in _waiters)
                if (line.Contains(text, StringComparison.Ordinal)) said.TrySetResult();
        }
    }

    /// <summary>A logger whose lines start with the last part of <paramref name="categoryName"/>, e.g. <c>OrderPipeline: </c>.</summary>
    public ILogger CreateLogger(string categoryName) => new Category(this, categoryName[(categoryName.LastIndexOf('.') + 1)..] + ": ");

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Category(SequenceLog log, string prefix) : ILogger
    {
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log.Write(prefix, formatter(state, exception));

        public bool IsEnabled(LogLevel logLevel) => true;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    }
}

/// <summary>A consumer joining a worker's group, which notes whether its first partitions came before or after the release.</summary>
internal sealed class JoiningConsumer : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);
    private readonly TaskCompletionSource<(IReadOnlyList<int> Partitions, bool AfterRelease)> _assigned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _polling;

    public JoiningConsumer(KafkaClientSettings kafka, string topic, string groupId, HeldSink sink)
    {
        var config = kafka.Consumer(groupId, new ConsumerConfig
        {
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        });
        var consumer = new ConsumerBuilder<byte[], byte[]>(config)
            .SetPartitionsAssignedHandler((_, assigned) =>
            {
                if (assigned.Count > 0) _assigned.TrySetResult(([.. assigned.Select(p => p.Partition.Value)], sink.Released));
            })
            .Build();
        consumer.Subscribe(topic);
        _polling = Task.Run(() =>
        {
            using (consumer)
            {
                while (!_stop.IsCancellationRequested) consumer.Consume(TimeSpan.FromMilliseconds(100));
                consumer.Close();
            }
        });
    }

    public Task<(IReadOnlyList<int> Partitions, bool AfterRelease)> Assigned => _assigned.Task;

    public void Dispose()
    {
        _stop.Cancel();
        _polling.Wait(Limit);
    }
}
