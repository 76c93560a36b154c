using System.Text;

namespace StreamMetrics.Worker.Tests.Integration;

[Collection(nameof(ServersCollection))]
public sealed class SecretsTests(ServersFixture servers)
{
    private const string Token = "tok-9f8e7d6c5b4a";
    private const string Password = "pw-1a2b3c4d5e6f";

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Credentials_appear_in_no_log_line_at_any_level_even_when_InfluxDB_is_unreachable(string apiVersion)
    {
        var topic = $"secrets-{apiVersion}";
        var order = """{"orderId":"o1","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":3}""";
        await KafkaRecords.ProduceToPartitionZeroAsync(servers.Kafka.BootstrapServers, topic, [("c1"u8.ToArray(), Encoding.UTF8.GetBytes(order))]);
        var unreachable = $"http://127.0.0.1:{Testing.FreeTcpPort.Next()}";
        var environment = new Dictionary<string, string> { ["STREAMMETRICS__Influx__Password"] = Password };

        await using var worker = WorkerProcess.Start(
        [
            "run", "--until-caught-up", .. servers.WorkerSettings(topic, topic, "unused"),
            "--set", $"Influx:Url={unreachable}", "--set", $"Influx:ApiVersion={apiVersion}", "--set", "Influx:Org=acme", "--set", "Influx:Bucket=orders",
            "--set", "Influx:Username=writer", "--set", $"Influx:Token={Token}", "--set", "Influx:MaxRetryDelay=00:00:00.2",
            "--set", "ShutdownTimeout=00:00:03", "--set", "Logging:LogLevel:StreamMetrics=Trace",
        ], environment);
        // A bounded run waits for InfluxDB as long as it takes; an operator's SIGTERM ends the wait.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!worker.StandardError.Contains("cannot reach") && DateTime.UtcNow < deadline) await Task.Delay(50);
        worker.Terminate();
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

        var output = worker.StandardOutput + worker.StandardError;
        Assert.Equal(1, exitCode); // nothing could be written out, so the stop is reported as incomplete
        Assert.Contains("cannot reach", output);
        Assert.DoesNotContain(Token, output);
        Assert.DoesNotContain(Password, output);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"writer:{Password}")), output);
    }
}
