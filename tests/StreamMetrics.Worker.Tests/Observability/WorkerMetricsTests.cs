using System.Text;
using StreamMetrics.Testing;
using StreamMetrics.Worker.Observability;
using StreamMetrics.Worker.Options;
using StreamMetrics.Worker.Pipeline;

namespace StreamMetrics.Worker.Tests.Observability;

public sealed class WorkerMetricsTests
{
    [Fact]
    public async Task With_Kafka_unreachable_a_scrape_still_answers_counts_the_failed_lag_read_and_says_why()
    {
        var settings = new WorkerSettings();
        settings.Kafka.BootstrapServers = $"127.0.0.1:{FreeTcpPort.Next()}";
        var metrics = new WorkerMetrics(settings, new PipelineStats(), influx: null, TimeProvider.System) { LagTimeout = TimeSpan.FromSeconds(1) };

        using var scrape = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(scrape);

        var exposition = Encoding.UTF8.GetString(scrape.ToArray());
        Assert.Contains("\nstreammetrics_lag_read_errors_total 1\n", exposition);
        Assert.Contains("\nstreammetrics_customers{state=\"live\"} 0\n", exposition);
        Assert.StartsWith("could not read the group's lag from Kafka: ", metrics.LagProblem);
    }
}
