using Microsoft.Extensions.Logging;
using StreamMetrics.Influx.Target;
using StreamMetrics.Influx.Writing;
using StreamMetrics.Kafka.Cluster;
using StreamMetrics.Worker.Options;
using StreamMetrics.Worker.Pipeline;

namespace StreamMetrics.Worker.Hosting;

/// <summary>
/// What a worker makes sure of before it consumes: Kafka answers, and InfluxDB has the database or bucket and
/// accepts the credentials. A bounded run gives up at once, in one line (exit 1 for Kafka, 2 for the target);
/// a long-running worker waits, says why (Kafka's client every 30 s, the target once a minute) and answers
/// <c>/readyz</c> with the reason until it can start.
/// </summary>
public sealed class StartupChecks(WorkerSettings settings, PipelineStats stats, ILogger log, TimeProvider time)
{
    // A probe that fails at once (a bad property, say) is not repeated in a tight loop.
    private static readonly TimeSpan KafkaRetryPause = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan TargetRecheck = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan TargetLogInterval = TimeSpan.FromMinutes(1);

    /// <summary>Returns when Kafka answers; false when <paramref name="stopping"/> fired first. A bounded run throws <see cref="KafkaUnreachableException"/> instead of waiting.</summary>
    public async Task<bool> WaitForKafkaAsync(bool bounded, CancellationToken stopping)
    {
        var kafka = settings.Kafka;
        stats.WaitingFor = $"waiting for Kafka at {kafka.BootstrapServers} to answer";
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                // The probe blocks in librdkafka; a stop does not wait for it.
                await Task.Run(() => ClusterProbe.Topics(kafka.BootstrapServers, kafka.Producer, ClusterProbe.AnswerTimeout), CancellationToken.None).WaitAsync(stopping);
                if (attempt > 0) log.LogInformation("Kafka at {BootstrapServers} answers", kafka.BootstrapServers);
                stats.WaitingFor = null;
                return true;
            }
            catch (KafkaUnreachableException e) when (!bounded)
            {
                // librdkafka's own line (KafkaClientLog, every 30 s) has said it already; readiness gives the reason.
                stats.WaitingFor = $"waiting: {e.Message}";
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return false;
            }
            try
            {
                await Task.Delay(KafkaRetryPause, time, stopping);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }

    /// <summary>Returns when the database or bucket is there and the credentials accepted; false when <paramref name="stopping"/> fired first. A bounded run throws <see cref="SettingsException"/> instead of waiting.</summary>
    public async Task<bool> WaitForInfluxTargetAsync(bool bounded, CancellationToken stopping)
    {
        var logged = DateTimeOffset.MinValue;
        var waited = false;
        try
        {
            while (true)
            {
                var status = await new InfluxTargetCheck(settings.Influx).CheckAsync(stopping);
                // Unreachable is left to the writer, which keeps the points and retries: InfluxDB may be starting too.
                if (!status.IsConfigurationProblem)
                {
                    if (waited) log.LogInformation("InfluxDB answers at {Url}: starting", UrlRedaction.Redact(settings.Influx.Url));
                    stats.WaitingFor = null;
                    return true;
                }
                if (bounded) throw new SettingsException(status.Message);
                stats.WaitingFor = $"waiting: {status.Message}";
                if (time.GetUtcNow() - logged >= TargetLogInterval)
                {
                    logged = time.GetUtcNow();
                    log.LogError("{Problem}; not ready, checking again every {Interval} s", status.Message, TargetRecheck.TotalSeconds);
                }
                waited = true;
                await Task.Delay(TargetRecheck, time, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return false;
        }
    }
}
