using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using StreamMetrics.Testing;
using StreamMetrics.Worker.Observability;
using StreamMetrics.Worker.Options;
using StreamMetrics.Worker.Pipeline;

namespace StreamMetrics.Worker.Tests.Observability;

/// <summary>
/// What <c>/readyz</c> answers in each state of the pipeline. A restore lasts tenths of a second, too short for a test
/// of a live worker to be sure of catching it; here the states are set, and the live test checks their order.
/// </summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task Readyz_names_each_partition_still_restoring_and_answers_200_once_every_one_is_restored()
    {
        var settings = new WorkerSettings();
        settings.Http.Listen = $"127.0.0.1:{FreeTcpPort.Next()}";
        var stats = new PipelineStats();
        await using var server = await MetricsServer.ServeAsync(settings, new WorkerMetrics(settings, stats, influx: null, TimeProvider.System), stats, influx: null, NullLogger.Instance);
        using var http = new HttpClient { BaseAddress = new Uri($"http://{settings.Http.Listen}") };

        Assert.Equal((HttpStatusCode.ServiceUnavailable, """{"ready":false,"reasons":["no partition assigned"],"partitions":[]}"""), await ReadyzAsync(http));
        stats.SetPartitions(restored: [0], restoring: [2, 1]);
        Assert.Equal((HttpStatusCode.ServiceUnavailable,
            """{"ready":false,"reasons":["partition 1 is restoring its state from the changelog","partition 2 is restoring its state from the changelog"],"partitions":[0]}"""),
            await ReadyzAsync(http));
        stats.SetPartitions(restored: [0, 1, 2], restoring: []);
        Assert.Equal((HttpStatusCode.OK, """{"ready":true,"reasons":[],"partitions":[0,1,2]}"""), await ReadyzAsync(http));
    }

    private static async Task<(HttpStatusCode, string)> ReadyzAsync(HttpClient http)
    {
        using var answer = await http.GetAsync("/readyz");
        return (answer.StatusCode, await answer.Content.ReadAsStringAsync());
    }
}
