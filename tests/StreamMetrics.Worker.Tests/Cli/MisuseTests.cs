using System.Net;
using System.Net.Sockets;
using Confluent.Kafka;
using StreamMetrics.Testing;
using StreamMetrics.Worker.Tests.Integration;

namespace StreamMetrics.Worker.Tests.Cli;

/// <summary>
/// The misuses a newcomer meets in the first hour (issue 15), each run as a process: every one exits with
/// the contract's code (0 done, 1 failed while running, 2 bad usage or configuration) within 60 s, in at
/// most five lines and without a stack trace.
/// </summary>
[Collection(nameof(ServersCollection))]
public sealed class MisuseTests(ServersFixture servers)
{
    private const int Failed = 1, Usage = 2;
    private const string Unresolvable = "kafka.invalid:9092";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static string Cdnow => DataSets.Find("cdnow/CDNOW_sample.txt");

    private static string OnlineRetail => DataSets.Find("online-retail/online_retail.csv.gz");

    public static TheoryData<string, bool> BoundedKafkaVerbs => new()
    {
        { "replay", false }, { "replay", true },
        { "simulate", false }, { "simulate", true },
        { "lag", false }, { "lag", true },
        { "run --until-caught-up", false }, { "run --until-caught-up", true },
    };

    [Theory]
    [MemberData(nameof(BoundedKafkaVerbs))]
    public async Task A_bounded_verb_without_Kafka_fails_with_one_line_naming_the_bootstrap_servers(string verb, bool unresolvable)
    {
        var bootstrap = unresolvable ? Unresolvable : $"127.0.0.1:{FreeTcpPort.Next()}";
        string[] args = verb switch
        {
            "replay" => ["replay", "--format", "cdnow", "--file", Cdnow],
            "simulate" => ["simulate", "--customers", "50", "--days", "30"],
            "lag" => ["lag", "--sample", "0"],
            _ => ["run", "--until-caught-up", "--set", $"Influx:Url=http://127.0.0.1:{FreeTcpPort.Next()}"],
        };

        var output = await AssertExitAsync([.. args, "--set", $"Kafka:BootstrapServers={bootstrap}"], Failed);

        Assert.Contains(bootstrap, output);
        Assert.DoesNotContain("orders produced", output);
    }

    [Theory]
    [InlineData("run --until-caught-up")]
    [InlineData("lag")]
    public async Task Credentials_in_the_bootstrap_servers_never_reach_the_output(string verb)
    {
        var bootstrap = $"user:pw-in-bootstrap@127.0.0.1:{FreeTcpPort.Next()}";
        string[] args = verb == "lag"
            ? ["lag", "--sample", "0"]
            : ["run", "--until-caught-up", "--set", $"Influx:Url=http://127.0.0.1:{FreeTcpPort.Next()}"];

        var output = await AssertExitAsync([.. args, "--set", $"Kafka:BootstrapServers={bootstrap}"], Failed);

        Assert.DoesNotContain("pw-in-bootstrap", output);
        Assert.Contains("***@127.0.0.1:", output);
    }

    [Fact]
    public async Task A_misspelt_key_on_the_command_line_names_the_key_and_the_nearest_known_one()
    {
        var output = await AssertExitAsync(["lag", "--set", "Kafka:BootstrapServers=127.0.0.1:1", "--set", "Influx:Databse=x"], Usage);

        Assert.Contains("Influx:Databse", output);
        Assert.Contains("Influx:Database", output.Replace("Influx:Databse", ""));
    }

    [Fact]
    public async Task A_misspelt_environment_variable_names_the_key_and_the_nearest_known_one()
    {
        var environment = new Dictionary<string, string> { ["STREAMMETRICS__Infux__Url"] = "http://127.0.0.1:1" };

        var output = await AssertExitAsync(["run", "--set", "Kafka:BootstrapServers=127.0.0.1:1"], Usage, environment);

        Assert.Contains("STREAMMETRICS__Infux__Url", output);
        Assert.Contains("Influx:Url", output);
    }

    [Theory]
    [InlineData("demo", "--duration", "30")]
    [InlineData("lag", "--sample", "5")]
    public async Task A_duration_without_a_unit_is_refused_with_a_line_that_says_why(string verb, string option, string value)
    {
        var output = await AssertExitAsync([verb, option, value, "--set", "Kafka:BootstrapServers=127.0.0.1:1"], Usage);

        Assert.Contains($"{option} '{value}'", output);
        Assert.Contains($"{value}s", output);
    }

    [Fact]
    public async Task A_configured_duration_without_a_unit_is_refused_and_one_with_a_unit_is_accepted()
    {
        var output = await AssertExitAsync(["lag", "--set", "Kafka:BootstrapServers=127.0.0.1:1", "--set", "Metrics:IdleTimeout=30"], Usage);

        Assert.StartsWith("Metrics:IdleTimeout '30'", output);
        // 5s is a duration: the same run gets past configuration and fails on the missing cluster instead.
        await AssertExitAsync(["lag", "--sample", "0", "--set", $"Kafka:BootstrapServers=127.0.0.1:{FreeTcpPort.Next()}", "--set", "Metrics:IdleTimeout=5s"], Failed);
    }

    [Theory]
    [InlineData("OnlineRetail")]
    [InlineData("csv")]
    public async Task A_format_spelt_otherwise_is_bad_usage(string format)
    {
        var output = await AssertExitAsync(["replay", "--format", format, "--file", Cdnow], Usage);

        Assert.Contains("online-retail", output);
    }

    [Fact]
    public async Task An_unknown_option_is_bad_usage()
    {
        await AssertExitAsync(["replay", "--formta", "cdnow", "--file", Cdnow], Usage);
    }

    [Fact]
    public async Task A_CDNOW_file_replayed_as_online_retail_names_the_expected_header()
    {
        var output = await AssertExitAsync(["replay", "--format", "online-retail", "--file", Cdnow, "--set", "Kafka:BootstrapServers=127.0.0.1:1"], Usage);

        Assert.Contains("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country", output);
    }

    [Fact]
    public async Task An_Online_Retail_file_replayed_as_cdnow_names_the_expected_lines()
    {
        var output = await AssertExitAsync(["replay", "--format", "cdnow", "--file", OnlineRetail, "--set", "Kafka:BootstrapServers=127.0.0.1:1"], Usage);

        Assert.Contains("CDNOW", output);
        Assert.DoesNotContain("skipped", output);
    }

    [Fact]
    public async Task An_Online_Retail_file_backtested_as_cdnow_names_the_expected_lines()
    {
        var output = await AssertExitAsync(["backtest", "--format", "cdnow", "--file", OnlineRetail], Usage);

        Assert.Contains("CDNOW", output);
        Assert.DoesNotContain("Sequence contains no elements", output);
    }

    [Fact]
    public async Task Lag_of_a_topic_that_does_not_exist_says_so_and_creates_nothing()
    {
        const string topic = "no-such-topic-for-lag";

        var output = await AssertExitAsync(["lag", "--topic", topic, "--sample", "0", "--set", $"Kafka:BootstrapServers={servers.Kafka.BootstrapServers}"], Usage);

        Assert.Contains($"'{topic}'", output);
        Assert.Contains("does not exist", output);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = servers.Kafka.BootstrapServers }).Build();
        Assert.DoesNotContain(topic, admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Select(t => t.Topic));
    }

    [Fact]
    public async Task A_bounded_run_of_an_orders_topic_that_does_not_exist_names_the_topic_and_fails_as_one_that_may_work_later()
    {
        const string topic = "no-such-orders-topic";
        await servers.Influx.CreateDatabaseAsync("misuse_no_topic");

        // Exit 1, not 2: creating the topic fixes it without a change to the worker's settings, as a long-running run waits for it.
        var output = await AssertExitAsync(["run", "--until-caught-up", .. servers.WorkerSettings(topic, "misuse-no-topic", "misuse_no_topic")], Failed);

        Assert.Contains($"topic '{topic}' does not exist", output);
        Assert.Contains("Kafka:Topic", output);
    }

    [Fact]
    public async Task A_bounded_run_into_a_database_that_does_not_exist_names_it()
    {
        servers.Kafka.EnsureTopic("misuse-nodb");
        var output = await AssertExitAsync(["run", "--until-caught-up", .. servers.WorkerSettings("misuse-nodb", "misuse-nodb", "no_such_database")], Usage);

        Assert.Contains("'no_such_database'", output);
    }

    [Fact]
    public async Task A_bounded_run_whose_credentials_are_refused_names_the_key_and_keeps_the_secret()
    {
        await using var influx = new AnsweringServer(401, """{"code":"unauthorized","message":"unauthorized access"}""");
        servers.Kafka.EnsureTopic("misuse-auth");

        var output = await AssertExitAsync(
        [
            "run", "--until-caught-up", .. servers.WorkerSettings("misuse-auth", "misuse-auth", "unused"),
            "--set", $"Influx:Url={influx.Url.Replace("http://", "http://writer:pw-in-url@")}", "--set", "Influx:ApiVersion=v2",
            "--set", "Influx:Org=acme", "--set", "Influx:Bucket=orders", "--set", "Influx:Token=tok-refused-123",
        ], Usage);

        Assert.Contains("Influx:Token", output);
        Assert.DoesNotContain("tok-refused-123", output);
        Assert.DoesNotContain("pw-in-url", output);
    }

    [Fact]
    public async Task A_second_worker_on_the_same_Http_Listen_address_names_the_key()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var listen = $"127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        var output = await AssertExitAsync(
            ["run", "--set", $"Http:Listen={listen}", "--set", $"Influx:Url=http://127.0.0.1:{FreeTcpPort.Next()}", "--set", $"Kafka:BootstrapServers=127.0.0.1:{FreeTcpPort.Next()}"],
            Usage);

        Assert.Contains($"Http:Listen {listen} cannot be listened on", output);
    }

    /// <summary>Runs the worker, asserts its exit code and that it said why in at most five lines without a stack trace; returns what it printed.</summary>
    private static async Task<string> AssertExitAsync(string[] args, int expected, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (exitCode, stdout, stderr) = await WorkerProcess.RunAsync(args, Limit, environment);
        var output = (stdout + stderr).Trim();
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(exitCode == expected, $"exit code {exitCode}, expected {expected}; output:\n{Shorten(output)}");
        Assert.True(lines.Length is > 0 and <= 5, $"{lines.Length} lines of output, expected 1 to 5:\n{Shorten(output)}");
        Assert.DoesNotContain("   at ", output);
        return output;
    }

    private static string Shorten(string text) => text.Length <= 4000 ? text : text[..4000] + "…";
}
