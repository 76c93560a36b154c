using Akka.Actor;
using Microsoft.Extensions.Logging;
using StreamMetrics.Worker.Actors;
using StreamMetrics.Core.Demand;
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
            await await demandTopic.EnqueueAllAsync([(partition, partial.EncodeKey(), partial.EncodeValue())]);
        }

        // The first worker writes a point for every partition, and InfluxDB does not acknowledge them yet.
        var sink = new HeldSink();
        using var log = new SequenceLog(sink);
        using var system = ActorSystem.Create("handover", CustomerMailbox.Configuration);
        using var stopping = new CancellationTokenSource();
        var first = new DemandSumPipeline(system, options, new DemandOptions(), TimeSpan.FromDays(30), sink,
            new DeadLetterProducer(records, "handover.dlq"), new TopicProducer(records, "handover.alerts"), new DemandTimeline(),
            new Logger<DemandSumPipeline>(log));
        var running = first.RunAsync(new PipelineRun(UntilCaughtUp: false, EndTime: null, EmitAllOnStop: false, TimeSpan.FromMinutes(1)), Task.CompletedTask, stopping.Token);
        await sink.Submitted(partitions).WaitAsync(Limit);

        // A second worker joins the demand group: the first gives up some of its partitions.
        using var joining = new JoiningConsumer(options.ClientSettings, options.DemandTopicName, options.DemandGroupId, sink);
        // Once the rebalance reaches the first worker, the points stay unacknowledged a little longer: a hand-over that
        // does not wait lets the partitions go within milliseconds. Not for long: the mock cluster evicts a member that
        // takes longer than its session (6 s) to rejoin, as if it had died.
        await log.Said("go to another worker").WaitAsync(Limit);
        await Task.WhenAny(log.Said("revoked;"), Task.Delay(TimeSpan.FromSeconds(2)));
        sink.Release();
        var assignment = await joining.Assigned.WaitAsync(Limit);

        Assert.NotEmpty(assignment.Partitions);
        Assert.False(log.SaidBeforeRelease("revoked;"));
        Assert.True(assignment.AfterRelease, $"partitions {string.Join(",", assignment.Partitions)} were handed over while the points written for them were not acknowledged{(running.IsCompleted ? $"; the first worker had stopped: {running.Exception?.GetBaseException()}" : "")}");
        await stopping.CancelAsync();
        await running.WaitAsync(Limit);
    }

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);
}
