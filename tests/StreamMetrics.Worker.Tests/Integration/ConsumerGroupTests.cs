using Xunit.Abstractions;

namespace StreamMetrics.Worker.Tests.Integration;

[Collection(nameof(ServersCollection))]
public sealed class ConsumerGroupTests(ServersFixture servers, ITestOutputHelper output)
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Two_workers_in_one_group_share_the_partitions_and_write_exactly_what_one_writes_alone()
    {
        const string topic = "group-orders";
        await servers.Influx.CreateDatabaseAsync("alone");
        await servers.Influx.CreateDatabaseAsync("together");
        var simulate = await WorkerProcess.RunAsync(
            ["simulate", "--customers", "3000", "--days", "120", "--seed", "11", "--topic", topic,
             "--set", $"Kafka:BootstrapServers={servers.Kafka.BootstrapServers}"], ProcessTimeout);
        Assert.True(simulate.ExitCode == 0, simulate.Stderr);

        var alone = await WorkerProcess.RunAsync(["run", "--until-caught-up", .. servers.WorkerSettings(topic, "alone", "alone")], ProcessTimeout);
        Assert.True(alone.ExitCode == 0, alone.Stderr);

        await using var first = WorkerProcess.Start(["run", "--until-caught-up", .. servers.WorkerSettings(topic, "together", "together")]);
        await using var second = WorkerProcess.Start(["run", "--until-caught-up", .. servers.WorkerSettings(topic, "together", "together")]);
        var exits = await Task.WhenAll(first.WaitForExitAsync(ProcessTimeout), second.WaitForExitAsync(ProcessTimeout));

        output.WriteLine($"alone:\n{alone.Stderr}\nfirst:\n{first.StandardError}\nsecond:\n{second.StandardError}");
        Assert.True(exits.All(code => code == 0), first.StandardError + second.StandardError);
        Assert.Contains("assigned", first.StandardError);
        Assert.Contains("assigned", second.StandardError);
        var (expected, actual) = (await ActivitySums.AllPointsAsync(servers.Influx, "alone"), await ActivitySums.AllPointsAsync(servers.Influx, "together"));
        // Every difference, by customer and time, rather than the first: one lost point reads apart from a lost week.
        Assert.True(expected.SequenceEqual(actual), WrittenOutput.Differences(expected, actual));
    }
}
