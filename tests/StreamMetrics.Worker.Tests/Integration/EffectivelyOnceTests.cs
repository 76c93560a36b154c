using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using StreamMetrics.Core.State;
using StreamMetrics.Kafka;
using StreamMetrics.Kafka.Source;
using StreamMetrics.Kafka.State;
using StreamMetrics.Testing;
using Xunit.Abstractions;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>DESIGN §5 under faults: whatever happens to the workers, InfluxDB ends up holding what one clean run writes.</summary>
[Collection(nameof(FaultServersCollection))]
public sealed partial class EffectivelyOnceTests(ServersFixture servers, ITestOutputHelper output)
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(5);
    private static readonly DateTimeOffset EndTime = DateTimeOffset.Parse("2011-12-10T00:00:00Z");
    private const int OnlineRetailOrders = 18_536 + 3_654; // purchases and returns with a customer id
    // An orders partition's restore ("Partition 2 restored 619 customers from 1410 changelog records"); the demand
    // pipeline's restores ("Demand partition 2 restored …") say "restored" too, and may come first.
    private const string OrdersPartitionRestored = "changelog records";
    // Small buffers keep a worker close behind InfluxDB, so that its checkpoints land within seconds of what it reads.
    private static readonly string[] SmallBuffers =
        ["--set", "Influx:MaxBufferedPoints=5000", "--set", "Kafka:MaxBufferedPerPartition=500", "--set", "Kafka:MaxBatchSize=250"];

    private static readonly string[] FinalRun = ["run", "--until-caught-up", "--end-time", "2011-12-10T00:00:00Z"];

    private async Task ReplayOnlineRetailAsync(string topic, string? from = null, string? to = null)
    {
        string[] range = [.. from is null ? [] : new[] { "--from", from }, .. to is null ? [] : new[] { "--to", to }];
        var replay = await WorkerProcess.RunAsync(
            ["replay", "--format", "online-retail", "--file", OnlineRetailCsv.Path, "--topic", topic, .. range,
             "--set", $"Kafka:BootstrapServers={servers.Kafka.BootstrapServers}"], ProcessTimeout);
        Assert.True(replay.ExitCode == 0, replay.Stderr);
    }

    // One clean run serves every test of the class: what the worker writes depends on the records, not on the topic's name.
    private const string CleanDatabase = "once_clean";
    private static readonly SemaphoreSlim CleanRunning = new(1, 1);
    private static ServersFixture? _cleanRunOn;

    /// <summary>A clean run of all of Online Retail into <see cref="CleanDatabase"/>, once per servers.</summary>
    private async Task<string> CleanRunAsync()
    {
        await CleanRunning.WaitAsync();
        try
        {
            if (_cleanRunOn == servers) return CleanDatabase;
            const string topic = "once-clean-orders";
            await ReplayOnlineRetailAsync(topic);
            await servers.Influx.CreateDatabaseAsync(CleanDatabase);
            var clean = await WorkerProcess.RunAsync([.. FinalRun, .. Settings(topic, CleanDatabase, CleanDatabase)], ProcessTimeout);
            Assert.True(clean.ExitCode == 0, clean.Stderr);
            _cleanRunOn = servers;
            return CleanDatabase;
        }
        finally
        {
            CleanRunning.Release();
        }
    }

    /// <summary>The fixture's settings, with alert topics of the database's own, so that each run's alerts can be compared.</summary>
    private string[] Settings(string topic, string groupId, string database, InfluxdServer? influx = null) =>
        [.. servers.WorkerSettings(topic, groupId, database, influx),
         "--set", $"Kafka:AlertsTopic={database}.alerts", "--set", $"Kafka:DemandAlertsTopic={database}.demand-alerts"];

    /// <summary>Every point of every measurement but <c>pipeline</c>, and the alerts on both topics, are those of the clean run.</summary>
    /// <param name="actualServer">Where <paramref name="actualDatabase"/> is, when not on the shared influxd.</param>
    private async Task AssertSameOutputAsync(string expectedDatabase, string actualDatabase, InfluxdServer? actualServer = null)
    {
        var expectedTotals = await ActivitySums.MetricTotalsAsync(servers.Influx, expectedDatabase, EndTime);
        Assert.Equal(4_372, expectedTotals.Count);
        var expected = await WrittenOutput.PointsAsync(servers.Influx, expectedDatabase);
        var actual = await WrittenOutput.PointsAsync(actualServer ?? servers.Influx, actualDatabase);
        output.WriteLine($"{expected.Count} points in the clean run, {actual.Count} in the other");
        Assert.True(expected.Count > 100_000);
        if (!expected.SequenceEqual(actual))
            Assert.Fail(WrittenOutput.Differences(expected, actual) + await WrittenOutput.ExplainMissingAsync(actualServer ?? servers.Influx, actualDatabase, expected, actual));
        foreach (var topic in new[] { "alerts", "demand-alerts" })
        {
            var expectedAlerts = WrittenOutput.DistinctRecords(servers.Kafka.BootstrapServers, $"{expectedDatabase}.{topic}");
            var actualAlerts = WrittenOutput.DistinctRecords(servers.Kafka.BootstrapServers, $"{actualDatabase}.{topic}");
            output.WriteLine($"{topic}: {expectedAlerts.Count} distinct in the clean run, {actualAlerts.Count} in the other");
            Assert.True(expectedAlerts.Count > 0, $"the clean run sent nothing to {topic}");
            Assert.True(expectedAlerts.SequenceEqual(actualAlerts), $"{topic}: " + WrittenOutput.Differences(expectedAlerts, actualAlerts));
        }
    }

    [Fact]
    public async Task Five_kill_9s_at_random_moments_then_a_final_run_write_exactly_what_a_clean_run_writes()
    {
        const string topic = "crash-orders", killed = "crash_killed";
        await ReplayOnlineRetailAsync(topic);
        await servers.Influx.CreateDatabaseAsync(killed);

        var random = new Random(20261129);
        var restored = 0L;
        for (var kill = 1; kill <= 5; kill++)
        {
            // Small buffers keep the worker close behind InfluxDB, so that its checkpoints land within the seconds
            // before each kill; with the defaults it reads the whole file ahead of its first checkpoint.
            await using var worker = WorkerProcess.Start(["run", .. Settings(topic, killed, killed), .. SmallBuffers]);
            var lagAtStart = await LagAsync(topic, killed);
            await worker.WaitForLogAsync(OrdersPartitionRestored, ProcessTimeout, times: 4);
            // A kill before the worker's first commit leaves nothing new to restore (on a slow machine the first takes
            // seconds): each kill comes at a random moment after one.
            var committing = Stopwatch.StartNew();
            while (lagAtStart > 0 && await LagAsync(topic, killed) == lagAtStart && committing.Elapsed < ProcessTimeout) await Task.Delay(100);
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 3000)));
            worker.Kill();
            restored += RestoredCustomers(worker.StandardError);
            output.WriteLine($"kill {kill}: restored {RestoredCustomers(worker.StandardError)} customers, killed after {worker.StandardError.Split('\n').Length} log lines");
            // What each partition restored, should the final run find less than the runs before it left.
            foreach (var line in worker.StandardError.Split('\n').Where(line => line.Contains("changelog records") || line.Contains("left the start")))
                output.WriteLine($"kill {kill}: {line}");
        }

        var final = await WorkerProcess.RunAsync([.. FinalRun, .. Settings(topic, killed, killed)], ProcessTimeout);
        output.WriteLine(final.Stderr);
        Assert.True(final.ExitCode == 0, final.Stderr);
        Assert.True(restored + RestoredCustomers(final.Stderr) > 0, "no process restored anything from the changelog");
        await AssertSameOutputAsync(await CleanRunAsync(), killed);
    }

    [Fact]
    public async Task Three_workers_joining_and_leaving_while_the_stream_arrives_write_exactly_what_one_clean_worker_writes()
    {
        const string topic = "scale-orders", group = "scale_group";
        await servers.Influx.CreateDatabaseAsync(group);
        string[] worker = ["run", .. Settings(topic, group, group)];

        await ReplayOnlineRetailAsync(topic, to: "2011-04-01T00:00:00Z");
        await using var first = WorkerProcess.Start(worker);
        await first.WaitForLogAsync(OrdersPartitionRestored, ProcessTimeout, times: 4);
        await ReplayOnlineRetailAsync(topic, from: "2011-04-01T00:00:00Z", to: "2011-07-01T00:00:00Z");
        await using var second = WorkerProcess.Start(worker);
        await second.WaitForLogAsync(OrdersPartitionRestored, ProcessTimeout);
        await ReplayOnlineRetailAsync(topic, from: "2011-07-01T00:00:00Z", to: "2011-10-01T00:00:00Z");
        await using var third = WorkerProcess.Start(worker);
        await third.WaitForLogAsync(OrdersPartitionRestored, ProcessTimeout);
        await ReplayOnlineRetailAsync(topic, from: "2011-10-01T00:00:00Z");
        // The first to join leaves first; its partitions move to the others while they consume.
        foreach (var leaving in new[] { first, second, third })
        {
            leaving.Terminate();
            Assert.True(await leaving.WaitForExitAsync(ProcessTimeout) == 0, leaving.StandardError);
        }
        var final = await WorkerProcess.RunAsync([.. FinalRun, .. Settings(topic, group, group)], ProcessTimeout);
        Assert.True(final.ExitCode == 0, final.Stderr);

        var logs = new[] { first.StandardError, second.StandardError, third.StandardError, final.Stderr };
        foreach (var (log, name) in logs.Zip(new[] { "first", "second", "third", "final" }))
            output.WriteLine($"{name}: {StoppedLine().Match(log).Value}");
        output.WriteLine($"orders skipped as already applied (offset dedup), over all workers: {logs.Sum(log => Count(log, "already applied"))}");
        // Who owned which partition when, and what each commit met: xunit shows it when the test fails.
        foreach (var (log, name) in logs.Zip(new[] { "first", "second", "third", "final" }))
            foreach (var line in log.Split('\n').Where(line => OwnershipLine().IsMatch(line)))
                output.WriteLine($"{name}: {line}");
        Assert.All(logs[..3], log => Assert.Contains("revoked", log));
        // The later workers started with no state of their own: what they took over came from the changelog.
        Assert.All(logs[1..], log => Assert.True(RestoredCustomers(log) > 0, log));
        Assert.Equal(OnlineRetailOrders, logs.Sum(log => Count(log, "orders applied")));

        await AssertSameOutputAsync(await CleanRunAsync(), group);
    }

    [Fact]
    public async Task A_worker_stopped_by_SIGTERM_mid_stream_and_started_again_applies_every_order_once_and_reads_nothing_twice()
    {
        const string topic = "sigterm-orders", database = "sigterm";
        // The orders from June on arrive only after the stop, so that the stop is mid-stream however fast the worker
        // runs: a fixed delay was not, once the worker applied the whole file within it.
        await ReplayOnlineRetailAsync(topic, to: "2011-06-01T00:00:00Z");
        await servers.Influx.CreateDatabaseAsync(database);

        await using var stopped = WorkerProcess.Start(["run", .. Settings(topic, database, database), .. SmallBuffers]);
        var lagAtStart = await LagAsync(topic, database);
        await stopped.WaitForLogAsync(OrdersPartitionRestored, ProcessTimeout, times: 4);
        // Stopped once it has committed something, with its small buffers most likely still full.
        var committing = Stopwatch.StartNew();
        while (await LagAsync(topic, database) == lagAtStart && committing.Elapsed < ProcessTimeout) await Task.Delay(100);
        stopped.Terminate();
        Assert.True(await stopped.WaitForExitAsync(ProcessTimeout) == 0, stopped.StandardError);
        await ReplayOnlineRetailAsync(topic, from: "2011-06-01T00:00:00Z");
        var restarted = await WorkerProcess.RunAsync([.. FinalRun, .. Settings(topic, database, database)], ProcessTimeout);
        Assert.True(restarted.ExitCode == 0, restarted.Stderr);
        output.WriteLine($"stopped: {StoppedLine().Match(stopped.StandardError).Value}\nrestarted: {StoppedLine().Match(restarted.Stderr).Value}");

        var appliedBeforeStop = Count(stopped.StandardError, "orders applied");
        Assert.InRange(appliedBeforeStop, 1, OnlineRetailOrders - 1);
        Assert.Equal(OnlineRetailOrders, appliedBeforeStop + Count(restarted.Stderr, "orders applied"));
        Assert.Equal(0, Count(restarted.Stderr, "already applied"));
        Assert.Equal(OnlineRetailOrders, Count(stopped.StandardError, "records:") + Count(restarted.Stderr, "records:"));

        await AssertSameOutputAsync(await CleanRunAsync(), database);
    }

    [Fact]
    public async Task A_worker_frozen_mid_stream_for_longer_than_every_timeout_resumes_rejoins_and_writes_exactly_what_a_clean_run_writes()
    {
        const string topic = "freeze-orders", database = "frozen";
        await ReplayOnlineRetailAsync(topic);
        await servers.Influx.CreateDatabaseAsync(database);
        // A paused VM: frozen longer than the session (the fixture's 6 s), a partition's stall, InfluxDB's answer and a revoke.
        // The stall timeout stays above the longest command here: a week of early periods, each with a fit, takes seconds.
        var freeze = TimeSpan.FromSeconds(45);
        string[] timeouts = ["--set", "StallTimeout=00:00:30", "--set", "Influx:Timeout=00:00:05", "--set", "Kafka:RevokeTimeout=00:00:05"];
        await using var worker = WorkerProcess.Start([.. FinalRun, .. Settings(topic, database, database), .. timeouts,
            .. SmallBuffers]);
        var lagAtStart = await LagAsync(topic, database);
        await worker.WaitForLogAsync(OrdersPartitionRestored, ProcessTimeout, times: 4);
        var committing = Stopwatch.StartNew();
        while (await LagAsync(topic, database) == lagAtStart && committing.Elapsed < ProcessTimeout) await Task.Delay(100);

        worker.Freeze();
        await Task.Delay(freeze);
        worker.Thaw();

        var exitCode = await worker.WaitForExitAsync(ProcessTimeout);
        output.WriteLine(worker.StandardError);
        Assert.True(exitCode == 0, worker.StandardError);
        Assert.Contains("lost", worker.StandardError); // the freeze outlived the session: the partitions came back through a restore
        Assert.Equal(0, await LagAsync(topic, database));
        await AssertSameOutputAsync(await CleanRunAsync(), database);
    }

    [Fact]
    public async Task InfluxDB_down_for_30_seconds_mid_run_loses_nothing_keeps_memory_flat_and_the_lag_rises_then_drains()
    {
        const string topic = "outage-orders", database = "outage";
        await ReplayOnlineRetailAsync(topic, to: "2011-06-01T00:00:00Z");
        // An influxd of this test's own, since it stops it: it starts again with this test's data only.
        await using var influx = await InfluxdServer.StartAsync();
        await influx.CreateDatabaseAsync(database);
        // Buffers sized for this data set rather than for production, so that they fill before the outage
        // begins: what must stay flat is the memory of a worker whose buffers are bounded, not their filling.
        // On workstation GC, so that the RSS follows what the worker holds: Server GC grows its heaps into budgets that
        // depend on the machine's load (measured: 2.0 × the start with the CI's tests beside it), and the RSS then
        // measures the collector rather than the buffers.
        await using var worker = WorkerProcess.Start(["run", .. Settings(topic, database, database, influx), .. SmallBuffers],
            new Dictionary<string, string> { ["DOTNET_gcServer"] = "0" });
        await worker.WaitForLogAsync(OrdersPartitionRestored, ProcessTimeout, times: 4);
        var rssBefore = 0L;
        for (var sample = 0; sample < 8; sample++, await Task.Delay(250)) rssBefore = Math.Max(rssBefore, worker.ResidentBytes());

        var lagAtOutage = await LagAsync(topic, database);
        var (peakRss, peakLag) = (rssBefore, lagAtOutage);
        // Once the buffers are full the worker stands still: from then on, however long the outage, memory must not grow.
        // Before then it legitimately grows a little, with the customers of the records it could still apply.
        var (stalledRss, lateRss) = (0L, 0L);
        await influx.StopAsync();
        try
        {
            // The rest of the stream arrives while InfluxDB is away.
            var arriving = ReplayOnlineRetailAsync(topic, from: "2011-06-01T00:00:00Z");
            var outage = Stopwatch.StartNew();
            while (outage.Elapsed < TimeSpan.FromSeconds(30))
            {
                var rss = worker.ResidentBytes();
                peakRss = Math.Max(peakRss, rss);
                if (outage.Elapsed < TimeSpan.FromSeconds(12)) stalledRss = Math.Max(stalledRss, rss);
                else lateRss = Math.Max(lateRss, rss);
                peakLag = Math.Max(peakLag, await LagAsync(topic, database));
                await Task.Delay(250);
            }
            await arriving;
        }
        finally
        {
            await influx.StartAgainAsync();
        }

        var drained = Stopwatch.StartNew();
        long lag;
        while ((lag = await LagAsync(topic, database)) > 0 && drained.Elapsed < TimeSpan.FromMinutes(3)) await Task.Delay(250);
        output.WriteLine($"RSS before the outage {rssBefore / 1048576.0:F1} MiB, peak in its first 12 s {stalledRss / 1048576.0:F1} MiB, " +
            $"peak after {lateRss / 1048576.0:F1} MiB; " +
            $"lag {lagAtOutage} records when it began, {peakLag} at its peak, {lag} {drained.Elapsed.TotalSeconds:F1} s after InfluxDB came back");
        Assert.Equal(0, lag);
        Assert.True(peakLag > lagAtOutage, "the lag did not rise during the outage");
        Assert.True(lateRss <= stalledRss * 1.1, $"RSS rose from {stalledRss} to {lateRss} bytes while the worker stood still");
        // Measured 1.12–1.24 × the start, from the customers of the records still applied in the first seconds.
        Assert.True(peakRss <= rssBefore * 1.5, $"RSS rose from {rssBefore} to {peakRss} bytes during the outage");

        worker.Terminate();
        Assert.True(await worker.WaitForExitAsync(ProcessTimeout) == 0, worker.StandardError);
        output.WriteLine(worker.StandardError);
        var final = await WorkerProcess.RunAsync([.. FinalRun, .. Settings(topic, database, database, influx)], ProcessTimeout);
        Assert.True(final.ExitCode == 0, final.Stderr);
        Assert.Equal(OnlineRetailOrders, Count(worker.StandardError, "orders applied") + Count(final.Stderr, "orders applied"));
        await AssertSameOutputAsync(await CleanRunAsync(), database, influx);
    }

    [Fact]
    public async Task A_former_owners_checkpoint_landing_after_the_new_owner_took_over_changes_nothing_the_next_owner_restores()
    {
        const string topic = "late-owner-orders", group = "late_owner";
        await servers.Influx.CreateDatabaseAsync(group);
        string[] bounded = ["run", "--until-caught-up", .. Settings(topic, group, group)];
        var changelog = $"{group}-state";
        var clients = new KafkaClientSettings(servers.Kafka.BootstrapServers);

        await ReplayOnlineRetailAsync(topic, to: "2011-03-01T00:00:00Z");
        var former = await WorkerProcess.RunAsync(bounded, ProcessTimeout);
        Assert.True(former.ExitCode == 0, former.Stderr);
        // The former owner's checkpoints, as it wrote them: what it would send again if it woke up after losing its partitions.
        var formerStates = Enumerable.Range(0, 4).ToDictionary(p => p, p => RawRecords(clients, changelog, p)
            .Where(r => Encoding.UTF8.GetString(r.Message.Key ?? []) != ChangelogOwnership.ClaimKey).ToList());
        Assert.True(formerStates.Values.Sum(r => r.Count) > 100, "the former owner checkpointed almost nothing");

        await ReplayOnlineRetailAsync(topic, from: "2011-03-01T00:00:00Z", to: "2011-05-01T00:00:00Z");
        var next = await WorkerProcess.RunAsync(bounded, ProcessTimeout);
        Assert.True(next.ExitCode == 0, next.Stderr);
        var restoredBefore = Enumerable.Range(0, 4).Select(p => ChangelogReader.Read(clients, changelog, p, ProcessTimeout, PartitionSnapshot.Key)).ToList();

        // The forced late write: every checkpoint of the former owner lands again, under its own epoch, after the new owner's.
        using (var producer = new ProducerBuilder<byte[]?, byte[]?>(clients.Producer()).Build())
        {
            foreach (var (partition, records) in formerStates)
                foreach (var record in records)
                    producer.Produce(new TopicPartition(changelog, partition), record.Message);
            Assert.Equal(0, producer.Flush(ProcessTimeout));
        }
        var restoredAfter = Enumerable.Range(0, 4).Select(p => ChangelogReader.Read(clients, changelog, p, ProcessTimeout, PartitionSnapshot.Key)).ToList();

        for (var partition = 0; partition < 4; partition++)
        {
            var (before, after) = (restoredBefore[partition].Latest, restoredAfter[partition].Latest);
            Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
            Assert.All(before, state => Assert.Equal(state.Value, after[state.Key]));
            Assert.Equal(formerStates[partition].Count, restoredAfter[partition].StaleRecords - restoredBefore[partition].StaleRecords);
        }
        // The next owner reads the same state and says what it ignored.
        var last = await WorkerProcess.RunAsync(bounded, ProcessTimeout);
        Assert.True(last.ExitCode == 0, last.Stderr);
        Assert.Contains("changelog records a former owner wrote after losing the partition", last.Stderr);
        Assert.Equal(restoredBefore.Sum(c => c.Latest.Keys.Count(k => !k.StartsWith('\u0000'))), RestoredCustomers(last.Stderr));
    }

    private static List<ConsumeResult<byte[]?, byte[]?>> RawRecords(KafkaClientSettings clients, string topic, int partition)
    {
        var records = new List<ConsumeResult<byte[]?, byte[]?>>();
        PartitionReader.Read(clients, topic, partition, null, ProcessTimeout, records.Add, records.Clear);
        return records;
    }

    /// <summary>Records of the topic not yet committed by the group, over all partitions.</summary>
    private async Task<long> LagAsync(string topic, string group)
    {
        var bootstrap = servers.Kafka.BootstrapServers;
        return await Task.Run(() =>
        {
            var ends = KafkaTopicInfo.EndOffsets(new KafkaClientSettings(bootstrap), topic, TimeSpan.FromSeconds(10));
            var committed = KafkaTopicInfo.CommittedOrStart(new KafkaClientSettings(bootstrap), topic, group, ends.Keys, TimeSpan.FromSeconds(10));
            return ends.Sum(end => end.Value - committed[end.Key]);
        });
    }

    private static long Count(string log, string what) =>
        Regex.Matches(log, $@"(\d+) {what}").Sum(m => long.Parse(m.Groups[1].Value));

    [GeneratedRegex(@"Stopped after .*")]
    private static partial Regex StoppedLine();


    [GeneratedRegex("assigned|revoked|lost|Commit of|restored|RevokeTimeout|checkpointed|ignored")]

    private static partial Regex OwnershipLine();

    private static long RestoredCustomers(string log) =>
        RestoredLine().Matches(log).Sum(m => long.Parse(m.Groups[1].Value));

    [GeneratedRegex(@"restored (\d+) customers")]
    private static partial Regex RestoredLine();
}
