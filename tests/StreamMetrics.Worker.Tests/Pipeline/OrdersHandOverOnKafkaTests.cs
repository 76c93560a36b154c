using Akka.Actor;
using StreamMetrics.Worker.Actors;
using StreamMetrics.Core.Orders;
using StreamMetrics.Kafka.DevCluster;
using StreamMetrics.Kafka.Producers;
using StreamMetrics.Worker.Options;
using StreamMetrics.Worker.Pipeline;
using StreamMetrics.Worker.Publishing;

namespace StreamMetrics.Worker.Tests.Pipeline;

/// <summary>The orders side of a worker's stop against a real Kafka wire protocol (librdkafka's mock cluster).</summary>
public sealed class OrdersHandOverOnKafkaTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);
    private static readonly DateTimeOffset Start = new(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_worker_stopping_while_another_joins_hands_its_partitions_over_only_once_what_it_read_is_committed()
    {
        using var kafka = DevKafkaCluster.Start();
        var settings = new WorkerSettings
        {
            Kafka =
            {
                BootstrapServers = kafka.BootstrapServers,
                Topic = "stopping-orders",
                GroupId = "stopping",
                CommitInterval = TimeSpan.FromMilliseconds(500),
                RevokeTimeout = TimeSpan.FromMinutes(5),
                Consumer = { ["session.timeout.ms"] = "6000", ["heartbeat.interval.ms"] = "500" },
            },
            ShutdownTimeout = TimeSpan.FromMinutes(1),
        };
        kafka.EnsureTopic(settings.Kafka.Topic);
        // Ten days of orders on every partition: the windows they close are points, which InfluxDB does not acknowledge yet.
        using (var producer = new RecordProducer(settings.Kafka.ClientSettings))
        {
            var publisher = new OrderPublisher(producer, settings.Kafka.Topic);
            for (var i = 0; i < 1000; i++)
                publisher.Publish(new OrderEvent($"o{i}", $"c{i % 100}", Start.AddMinutes(15 * i), OrderKind.Purchase, 10m, null, "France", "web", []));
            producer.Finish(Limit);
        }

        var sink = new HeldSink();
        using var log = new SequenceLog(sink);
        using var system = ActorSystem.Create("stopping", CustomerMailbox.Configuration);
        using var records = new RecordCollector(settings.Kafka.ClientSettings);
        using var pipelines = new WorkerPipelines(system, settings, sink, records, log);
        using var stopping = new CancellationTokenSource();
        var running = pipelines.RunAsync(new PipelineRun(UntilCaughtUp: false, EndTime: null, EmitAllOnStop: false, settings.ShutdownTimeout), stopping.Token);
        while (pipelines.Stats.OrdersApplied < 1000) await Task.Delay(20).WaitAsync(Limit);
        await sink.Submitted(4).WaitAsync(Limit);

        // The worker is asked to stop; while it writes out what it read, a second worker joins the group.
        await stopping.CancelAsync();
        await log.Said("Stopping: writing out what was read").WaitAsync(Limit);
        using var joining = new JoiningConsumer(settings.Kafka.ClientSettings, settings.Kafka.Topic, settings.Kafka.GroupId, sink);
        // A stop that hands partitions over without their last commit lets them go within milliseconds, and the joining
        // worker applies their orders again. Held only briefly: the mock cluster evicts a member slower than its session.
        await Task.WhenAny(log.Said("go to another worker"), joining.Assigned).WaitAsync(Limit);
        await Task.WhenAny(log.Said("revoked;"), Task.Delay(TimeSpan.FromSeconds(2)));
        sink.Release();
        var assignment = await joining.Assigned.WaitAsync(Limit);

        Assert.NotEmpty(assignment.Partitions);
        Assert.False(log.SaidBeforeRelease("OrderPipeline: Partitions", "revoked;"));
        Assert.True(assignment.AfterRelease, $"partitions {string.Join(",", assignment.Partitions)} were handed over before what was read of them was committed");
        Assert.True(await running.WaitAsync(Limit));
    }
}
