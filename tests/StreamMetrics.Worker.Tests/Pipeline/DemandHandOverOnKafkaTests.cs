using Akka.Actor;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StreamMetrics.Core.Demand;
using StreamMetrics.Influx.LineProtocol;
using StreamMetrics.Kafka.DevCluster;
using StreamMetrics.Kafka.Producers;
using StreamMetrics.Worker.Options;
using StreamMetrics.Worker.Pipeline;

namespace StreamMetrics.Worker.Tests.Pipeline;

/// <summary>The summing side of demand against a real Kafka wire protocol (librdkafka's mock cluster).</summary>
public sealed class DemandHandOverOnKafkaTests
{
    [Fact]
    public async Task A_demand_partition_moves_to_a_joining_worker_only_once_the_points_written_for_it_are_acknowledged()
    {
        using var kafka = DevKafkaCluster.Start();
        var options = new KafkaOptions
        {
            BootstrapServers = kafka.BootstrapServers,
            Topic = "handover-orders",
            GroupId = "handover",
            CommitInterval = TimeSpan.FromMilliseconds(500),
            RevokeTimeout = TimeSpan.FromMinutes(5),
        };
        options.Consumer["session.timeout.ms"] = "6000";
        options.Consumer["heartbeat.interval.ms"] = "500";
        kafka.EnsureTopic(options.Topic);
        var partitions = kafka.EnsureTopic(options.DemandTopicName);
        using var records = new RecordCollector(options.ClientSettings);
        var demandTopic = new TopicProducer(records, options.DemandTopicName);
        for (var partition = 0; partition < partitions; partition++)
        {
            var partial = new DemandPartial(new DemandKey(DemandKey.Sku, $"SKU{partition}"), SourcePartition: 0, Period: 1, new DemandFigures(3, 1, 9.5m));
            await demandTopic.SendAsync(partition, partial.EncodeKey(), partial.EncodeValue());
        }

        // The first worker writes a point for every partition, and InfluxDB does not acknowledge them yet.
        var sink = new HeldSink();
        var log = new SequenceLog(sink);
        using var system = ActorSystem.Create("handover");
        using var stopping = new CancellationTokenSource();
        var first = new DemandSumPipeline(system, options, new DemandOptions(), TimeSpan.FromDays(30), sink,
            new DeadLetterProducer(records, "handover.dlq"), new TopicProducer(records, "handover.alerts"), new DemandTimeline(),
            log);
        var running = first.RunAsync(new PipelineRun(UntilCaughtUp: false, EndTime: null, EmitAllOnStop: false, TimeSpan.FromMinutes(1)), Task.CompletedTask, stopping.Token);
        await sink.Submitted(partitions).WaitAsync(Limit);

        // A second worker joins the demand group: the first gives up some of its partitions.
        using var joining = new JoiningConsumer(options, sink);
        // Once the rebalance reaches the first worker, the points stay unacknowledged a little longer: a hand-over that
        // does not wait lets the partitions go within milliseconds. Not for long: the mock cluster evicts a member that
        // takes longer than its session (6 s) to rejoin, as if it had died.
        await log.Said("go to another worker").WaitAsync(Limit);
        await Task.WhenAny(log.Said("revoked;"), Task.Delay(TimeSpan.FromSeconds(2)));
        sink.Release();
        var assignment = await joining.Assigned.WaitAsync(Limit);

        Assert.NotEmpty(assignment.Partitions);
        Assert.DoesNotContain(log.Lines, line => line.Contains("revoked;", StringComparison.Ordinal) && line.EndsWith("before the release", StringComparison.Ordinal));
        Assert.True(assignment.AfterRelease, $"partitions {string.Join(",", assignment.Partitions)} were handed over while the points written for them were not acknowledged{(running.IsCompleted ? $"; the first worker had stopped: {running.Exception?.GetBaseException()}" : "")}");
        await stopping.CancelAsync();
        await running.WaitAsync(Limit);
    }

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    /// <summary>The first worker's log lines, each marked with whether the sink's points were released when it was written.</summary>
    private sealed class SequenceLog(HeldSink sink) : ILogger<DemandSumPipeline>
    {
        private readonly List<(string Text, TaskCompletionSource Said)> _waiters = [];
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines { get { lock (_lines) return [.. _lines]; } }

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

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{formatter(state, exception)} {(sink.Released ? "after" : "before")} the release";
            lock (_lines)
            {
                _lines.Add(line);
                foreach (var (text, said) in _waiters)
                    if (line.Contains(text, StringComparison.Ordinal)) said.TrySetResult();
            }
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    }

    /// <summary>A sink whose acknowledgements wait for <see cref="Release"/>: a slow InfluxDB.</summary>
    private sealed class HeldSink : IPointSink
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

    /// <summary>A consumer of the demand group that notes whether its first partitions came before or after the release.</summary>
    private sealed class JoiningConsumer : IDisposable
    {
        private readonly TaskCompletionSource<(IReadOnlyList<int> Partitions, bool AfterRelease)> _assigned = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _polling;

        public JoiningConsumer(KafkaOptions options, HeldSink sink)
        {
            var config = options.ClientSettings.Consumer(options.DemandGroupId, new ConsumerConfig
            {
                PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
                AutoOffsetReset = AutoOffsetReset.Earliest,
                EnableAutoCommit = false,
            });
            var consumer = new ConsumerBuilder<byte[], byte[]>(config)
                .SetPartitionsAssignedHandler((_, assigned) =>
                {
                    if (assigned.Count > 0) _assigned.TrySetResult(([.. assigned.Select(p => p.Partition.Value)], sink.Released));
                })
                .Build();
            consumer.Subscribe(options.DemandTopicName);
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
}
