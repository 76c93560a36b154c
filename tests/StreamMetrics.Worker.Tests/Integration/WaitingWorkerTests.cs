using System.Net;
using System.Text.Json;
using StreamMetrics.Testing;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>
/// A long-running <c>run</c> that cannot start its work (Kafka unreachable, InfluxDB database missing) says so
/// in a line, not hundreds, answers <c>/readyz</c> with 503 and the reason, and stops cleanly when asked.
/// </summary>
[Collection(nameof(ServersCollection))]
public sealed class WaitingWorkerTests(ServersFixture servers)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly HttpClient _http = new();

    [Fact]
    public async Task A_worker_without_Kafka_logs_one_line_stays_not_ready_and_stops_cleanly()
    {
        var (listen, bootstrap) = ($"127.0.0.1:{FreeTcpPort.Next()}", $"127.0.0.1:{FreeTcpPort.Next()}");
        await using var worker = WorkerProcess.Start(
            ["run", "--set", $"Kafka:BootstrapServers={bootstrap}", "--set", $"Influx:Url={servers.Influx.Url}", "--set", $"Http:Listen={listen}"]);

        await worker.WaitForLogAsync($"Kafka at {bootstrap}", Limit);
        var (status, body) = await ReadyzAsync(listen);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains($"Kafka at {bootstrap}", body);
        var lines = worker.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length <= 5, $"{lines.Length} lines logged:\n{string.Join('\n', lines.Take(20))}");
        worker.Terminate();
        Assert.True(await worker.WaitForExitAsync(Limit) == 0, worker.StandardError);
    }

    [Fact]
    public async Task A_worker_whose_database_does_not_exist_says_so_stays_not_ready_and_starts_once_it_is_created()
    {
        const string database = "created_while_waiting";
        var listen = $"127.0.0.1:{FreeTcpPort.Next()}";
        servers.Kafka.EnsureTopic("waiting-db");
        await using var worker = WorkerProcess.Start(
            ["run", .. servers.WorkerSettings("waiting-db", "waiting-db", database), "--set", $"Http:Listen={listen}"]);

        await worker.WaitForLogAsync($"'{database}'", Limit);
        var (status, body) = await ReadyzAsync(listen);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains($"'{database}'", body);

        await servers.Influx.CreateDatabaseAsync(database);
        await worker.WaitForLogAsync("InfluxDB answers", Limit);
        Assert.Equal(1, Occurrences(worker.StandardError, $"'{database}' does not exist"));
        worker.Terminate();
        Assert.True(await worker.WaitForExitAsync(Limit) == 0, worker.StandardError);
    }

    [Fact]
    public async Task A_worker_whose_orders_topic_does_not_exist_says_so_once_stays_not_ready_and_starts_once_it_exists()
    {
        const string topic = "created-while-waiting";
        var listen = $"127.0.0.1:{FreeTcpPort.Next()}";
        await servers.Influx.CreateDatabaseAsync("waiting_topic");
        await using var worker = WorkerProcess.Start(
            ["run", .. servers.WorkerSettings(topic, "waiting-topic", "waiting_topic"), "--set", $"Http:Listen={listen}"]);

        await worker.WaitForLogAsync($"topic '{topic}' does not exist", Limit);
        var (status, body) = await ReadyzAsync(listen);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains($"topic '{topic}' does not exist", body);

        servers.Kafka.EnsureTopic(topic);
        await worker.WaitForLogAsync("assigned", Limit);
        Assert.Equal(1, Occurrences(worker.StandardError, $"topic '{topic}' does not exist"));
        worker.Terminate();
        Assert.True(await worker.WaitForExitAsync(Limit) == 0, worker.StandardError);
    }

    /// <summary>Asks <c>/readyz</c>, waiting for the listener to answer; the reasons it gives, one a line.</summary>
    private async Task<(HttpStatusCode Status, string Reasons)> ReadyzAsync(string listen)
    {
        using var deadline = new CancellationTokenSource(Limit);
        while (true)
        {
            try
            {
                using var response = await _http.GetAsync($"http://{listen}/readyz", deadline.Token);
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(deadline.Token));
                return (response.StatusCode, string.Join('\n', body.RootElement.GetProperty("reasons").EnumerateArray().Select(r => r.GetString())));
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50, deadline.Token);
            }
        }
    }

    private static int Occurrences(string text, string part) => text.Split(part).Length - 1;
}
