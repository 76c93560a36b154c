using StreamMetrics.Kafka.DevCluster;
using StreamMetrics.Testing;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>One Kafka cluster (librdkafka's mock, real wire protocol) and one real influxd for the worker's integration tests.</summary>
public sealed class ServersFixture : IAsyncLifetime
{
    public DevKafkaCluster Kafka { get; private set; } = null!;

    public InfluxdServer Influx { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Kafka = DevKafkaCluster.Start(1);
        Influx = await InfluxdServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Influx.DisposeAsync();
        Kafka.Dispose();
    }

    /// <summary>Produces the CDNOW sample's 6,696 orders (one per customer and day) to <paramref name="topic"/>.</summary>
    public async Task ReplayCdnowAsync(string topic)
    {
        var replay = await WorkerProcess.RunAsync(
            ["replay", "--format", "cdnow", "--file", Testing.DataSets.Find("cdnow/CDNOW_sample.txt"), "--topic", topic,
             "--set", $"Kafka:BootstrapServers={Kafka.BootstrapServers}"], TimeSpan.FromMinutes(3));
        Assert.True(replay.ExitCode == 0, replay.Stderr);
    }

    /// <summary>
    /// The options every worker process of a test needs: this cluster, this influxd (or <paramref name="influx"/>, one a test
    /// stops and starts again: restarting the shared one would reload every earlier test's data), one database.
    /// </summary>
    public string[] WorkerSettings(string topic, string groupId, string database, InfluxdServer? influx = null) =>
    [
        "--set", $"Kafka:BootstrapServers={Kafka.BootstrapServers}",
        "--set", $"Kafka:Topic={topic}",
        "--set", $"Kafka:GroupId={groupId}",
        "--set", $"Kafka:DeadLetterTopic={topic}.dlq",
        "--set", $"Kafka:AlertsTopic={topic}.alerts",
        "--set", $"Kafka:PopulationTopic={topic}.population",
        "--set", $"Kafka:ProfilesTopic={topic}.profiles",
        "--set", $"Influx:Url={(influx ?? Influx).Url}",
        "--set", $"Influx:Database={database}",
        "--set", "Kafka:CommitInterval=00:00:00.500",
        // The mock cluster waits a session timeout before it completes each rebalance phase.
        "--set", "Kafka:Consumer:session.timeout.ms=6000",
        "--set", "Kafka:Consumer:heartbeat.interval.ms=500",
    ];
}

[CollectionDefinition(nameof(ServersCollection))]
public sealed class ServersCollection : ICollectionFixture<ServersFixture>;

/// <summary>
/// Servers of their own for the fault tests (kills, freezes, InfluxDB stopped): they spend minutes waiting, which the
/// other integration tests use, since xunit runs collections side by side.
/// </summary>
[CollectionDefinition(nameof(FaultServersCollection))]
public sealed class FaultServersCollection : ICollectionFixture<ServersFixture>;
