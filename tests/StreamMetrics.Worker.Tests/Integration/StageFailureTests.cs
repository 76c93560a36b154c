using StreamMetrics.Core.Demand;
using StreamMetrics.Kafka.DevCluster;
using StreamMetrics.Testing;
using Xunit.Abstractions;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>
/// A stage that fails stops the whole worker (issue 17): exit 1, within a bounded time, with one line naming the stage
/// and no stack trace, however long the other stages could have run on.
/// </summary>
[Collection(nameof(ServersCollection))]
public sealed class StageFailureTests(ServersFixture servers, ITestOutputHelper output)
{
    // Generous: a stopped worker drains for at most three ShutdownTimeouts (write out, commit, leave the group).
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private const string ShutdownTimeout = "00:00:05";

    [Fact]
    public async Task A_demand_pipeline_that_fails_stops_a_long_running_worker_with_exit_1_and_one_line_naming_it()
    {
        const string topic = "stage-failure-demand", database = "stage_failure_demand";
        servers.Kafka.EnsureTopic(topic);
        await servers.Influx.CreateDatabaseAsync(database);
        // Two orders partitions' partials of one period whose revenue adds up past what a decimal holds: a sum the demand side cannot take.
        var demandTopic = $"{topic}-demand";
        servers.Kafka.EnsureTopic(demandTopic);
        var tooLarge = new DemandFigures(1, 1, decimal.MaxValue);
        await KafkaRecords.ProduceToPartitionZeroAsync(servers.Kafka.BootstrapServers, demandTopic,
            [.. Enumerable.Range(0, 2).Select(source => new DemandPartial(DemandKey.All, source, 0, tooLarge)).Select(p => (p.EncodeKey(), p.EncodeValue()))]);

        // Without --until-caught-up the orders pipeline would run until stopped: only the demand failure can end this run.
        await using var worker = WorkerProcess.Start(["run", .. servers.WorkerSettings(topic, topic, database), "--set", $"ShutdownTimeout={ShutdownTimeout}"]);
        var exitCode = await worker.WaitForExitAsync(Limit);

        AssertFailedInOneLineNaming("demand pipeline failed: ", exitCode, worker.StandardError);
    }

    [Fact]
    public async Task A_catch_up_watcher_that_loses_Kafka_fails_a_bounded_run_with_exit_1_and_one_line()
    {
        const string topic = "stage-failure-watcher";
        // A cluster of this test's own, stopped mid-run; the shared one stays up for the other tests.
        var cluster = DevKafkaCluster.Start(1);
        var stopped = false;
        try
        {
            var replay = await WorkerProcess.RunAsync(
                ["replay", "--format", "cdnow", "--file", DataSets.Find("cdnow/CDNOW_sample.txt"), "--topic", topic, "--set", $"Kafka:BootstrapServers={cluster.BootstrapServers}"],
                TimeSpan.FromMinutes(3));
            Assert.True(replay.ExitCode == 0, replay.Stderr);
            // Nothing listens on the InfluxDB port: the writer keeps its points and retries, its small buffer fills and the
            // partitions pause, so the run stays short of the end offsets and the watcher keeps asking Kafka where they stand.
            await using var worker = WorkerProcess.Start(
            [
                "run", "--until-caught-up",
                "--set", $"Kafka:BootstrapServers={cluster.BootstrapServers}", "--set", $"Kafka:Topic={topic}", "--set", $"Kafka:GroupId={topic}",
                "--set", $"Kafka:DeadLetterTopic={topic}.dlq", "--set", $"Kafka:AlertsTopic={topic}.alerts",
                "--set", $"Kafka:PopulationTopic={topic}.population", "--set", $"Kafka:ProfilesTopic={topic}.profiles",
                "--set", "Kafka:MaxBatchSize=50", "--set", "Kafka:MaxBufferedPerPartition=50",
                "--set", $"Influx:Url=http://127.0.0.1:{FreeTcpPort.Next()}", "--set", "Influx:BatchSize=50", "--set", "Influx:MaxBufferedPoints=50",
                "--set", "Kafka:Consumer:session.timeout.ms=6000", "--set", "Kafka:Consumer:heartbeat.interval.ms=500",
                "--set", $"ShutdownTimeout={ShutdownTimeout}",
            ]);
            await worker.WaitForLogAsync("Reading until caught up", Limit);
            // Every partition of both pipelines restored: the cluster stops while the watcher asks, not while a restore
            // reads (a demand restore that loses Kafka fails the demand pipeline first, as it should).
            await worker.WaitForLogAsync(" customers from ", Limit, times: 4);
            await worker.WaitForLogAsync(" sums from ", Limit, times: 4);

            cluster.Dispose();
            stopped = true;
            var exitCode = await worker.WaitForExitAsync(Limit);

            AssertFailedInOneLineNaming("orders pipeline failed: ", exitCode, worker.StandardError);
            Assert.Contains("orders pipeline failed: catching up failed: Kafka: ", worker.StandardError);
        }
        finally
        {
            if (!stopped) cluster.Dispose();
        }
    }

    private void AssertFailedInOneLineNaming(string stage, int exitCode, string stderr)
    {
        output.WriteLine(stderr);
        Assert.True(exitCode == 1, $"exit code {exitCode}, expected 1; stderr:\n{Shorten(stderr)}");
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Count(line => line.Contains(stage, StringComparison.Ordinal)) == 1, $"expected one line with '{stage}'; stderr:\n{Shorten(stderr)}");
        Assert.DoesNotContain(lines, line => line.Contains("pipeline failed: ", StringComparison.Ordinal) && !line.Contains(stage, StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", stderr);
        Assert.DoesNotContain("Unhandled exception", stderr);
    }

    private static string Shorten(string text) => text.Length <= 6000 ? text : text[..3000] + "\n…\n" + text[^3000..];
}
