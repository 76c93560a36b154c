using StreamMetrics.Worker.Tests.Integration;

namespace StreamMetrics.Worker.Tests.Cli;

public sealed class ConfigurationErrorTests
{
    public static TheoryData<string, string> BadValues => new()
    {
        { "Influx:Url=htp://x", "Influx:Url" },
        { "Influx:ApiVersion=v7", "Influx:ApiVersion" },
        { "Kafka:BootstrapServers=", "Kafka:BootstrapServers" },
        { "Metrics:AllowedLateness=-00:05:00", "Metrics:AllowedLateness" },
        { "Influx:FlushInterval=-00:00:01", "Influx:FlushInterval" },
        { "Influx:BatchSize=0", "Influx:BatchSize" },
        { "Metrics:Period=abc", "Metrics:Period" },
        { "Metrics:IdleTimeout=00:00:00", "Metrics:IdleTimeout" },
        { "Metrics:Currency=pounds", "Metrics:Currency" },
        { "Kafka:MaxBatchSize=0", "Kafka:MaxBatchSize" },
        { "Logging:Format=xml", "Logging:Format" },
        { "Http:Listen=localhost", "Http:Listen" },
        { "Scaling:LagThreshold=0", "Scaling:LagThreshold" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task A_bad_configuration_value_stops_with_exit_code_2_and_one_line_naming_the_key(string setting, string key)
    {
        string[] args = ["run", "--set", "Influx:Url=http://127.0.0.1:1", "--set", "Kafka:BootstrapServers=127.0.0.1:1", "--set", setting];

        var (exitCode, stdout, stderr) = await WorkerProcess.RunAsync(args, TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(key, line);
        Assert.DoesNotContain("   at ", stderr + stdout);
    }

    [Fact]
    public async Task A_bad_value_from_the_environment_is_reported_the_same_way()
    {
        var environment = new Dictionary<string, string> { ["STREAMMETRICS__Influx__BatchSize"] = "-5" };

        var (exitCode, _, stderr) = await WorkerProcess.RunAsync(
            ["run", "--set", "Influx:Url=http://127.0.0.1:1", "--set", "Kafka:BootstrapServers=127.0.0.1:1"], TimeSpan.FromSeconds(60), environment);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("Influx:BatchSize", stderr.Trim());
    }

    [Fact]
    public async Task Secrets_never_appear_in_a_configuration_error()
    {
        string[] args = ["run", "--set", "Influx:Url=htp://x", "--set", "Influx:Token=s3cr3t-token", "--set", "Influx:Password=hunter2",
            "--set", "Kafka:BootstrapServers=127.0.0.1:1"];

        var (exitCode, stdout, stderr) = await WorkerProcess.RunAsync(args, TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.DoesNotContain("s3cr3t-token", stdout + stderr);
        Assert.DoesNotContain("hunter2", stdout + stderr);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("demo")]
    [InlineData("dev-kafka")]
    [InlineData("simulate")]
    [InlineData("replay")]
    public async Task Every_verb_explains_itself_with_help(string verb)
    {
        var (exitCode, stdout, _) = await WorkerProcess.RunAsync([verb, "--help"], TimeSpan.FromSeconds(60));

        Assert.Equal(0, exitCode);
        Assert.Contains("Usage:", stdout);
        Assert.Contains("--set", stdout);
    }
}
