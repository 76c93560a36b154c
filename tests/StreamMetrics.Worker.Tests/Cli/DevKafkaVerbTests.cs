using Confluent.Kafka;
using StreamMetrics.Worker.Tests.Integration;

namespace StreamMetrics.Worker.Tests.Cli;

public sealed class DevKafkaVerbTests
{
    [Fact]
    public async Task Dev_kafka_prints_its_bootstrap_servers_first_serves_Kafka_and_stops_cleanly_on_SIGTERM()
    {
        await using var process = WorkerProcess.Start(["dev-kafka", "--brokers", "2"]);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!process.StandardOutput.Contains('\n') && DateTime.UtcNow < deadline) await Task.Delay(50);

        var firstLine = process.StandardOutput.Split('\n')[0].Trim();
        Assert.Matches(@"^bootstrap\.servers=127\.0\.0\.1:\d+,127\.0\.0\.1:\d+$", firstLine);
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = firstLine["bootstrap.servers=".Length..] }).Build())
            Assert.Equal(2, admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Count);

        process.Terminate();
        Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }
}
