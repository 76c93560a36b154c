using Microsoft.Extensions.Logging;
using StreamMetrics.Core.Redaction;
using StreamMetrics.Influx.Target;
using StreamMetrics.Influx.Writing;
using StreamMetrics.Kafka.Cluster;
using StreamMetrics.Worker.Options;
using StreamMetrics.Worker.Pipeline;

namespace StreamMetrics.Worker.Hosting;

/// <summary>
/// What a worker makes sure of before it consumes: Kafka answers and has the orders topic, and InfluxDB has the
/// database or bucket and accepts the credentials. A bounded run gives up at once, in one line (exit 1 for Kafka,
/// 2 for a missing topic or the target); a long-running worker waits, says why (Kafka's client every 30 s, the
/// topic and the target once a minute) and answers
/// <c>/readyz</c> with the reason until it can start.
/// </summary>
public sealed class StartupChecks(WorkerSettings settings, PipelineStats stats, ILogger log, TimeProvider time)
{
    // A probe that fails at once (a bad property, say) is not repeated in a tight loop.
    private static readonly TimeSpan KafkaRetryPause = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan TargetRecheck = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan TargetLogInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Returns when Kafka answers and has the orders topic; false when <paramref name="stopping"/> fired first. A bounded
    /// run throws instead of waiting: <see cref="KafkaUnreachableException"/>, or <see cref="TopicMissingException"/> for the topic.
    /// </summary>
    public async Task<bool> WaitForKafkaAsync(bool bounded, CancellationToken stopping)
    {
        var kafka = settings.Kafka;
        var servers = kafka.ClientSettings.ShownServers;
        stats.WaitingFor = $"waiting for Kafka at {servers} to answer";
        var topicLogged = DateTimeOffset.MinValue;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                // The probe blocks in librdkafka; a stop does not wait for it. It lists every topic: asking for the
                // orders topic by name would create it on a broker that auto-creates topics.
                var topics = await Task.Run(() => ClusterProbe.Topics(kafka.ClientSettings, ClusterProbe.AnswerTimeout), CancellationToken.None).WaitAsync(stopping);
                if (attempt > 0) log.LogInformation("Kafka at {BootstrapServers} answers", servers);
                if (topics.Contains(kafka.Topic))
                {
                    stats.WaitingFor = null;
                    return true;
                }
                var missing = $"topic '{kafka.Topic}' does not exist on {servers}; check Kafka:Topic, or create the topic";
                if (bounded) throw new TopicMissingException(missing);
                stats.WaitingFor = $"waiting: {missing}";
                if (time.GetUtcNow() - topicLogged >= TargetLogInterval)
                {
                    topicLogged = time.GetUtcNow();
                    log.LogError("{Problem}; not ready, checking again every {Interval} s", missing, KafkaRetryPause.TotalSeconds);
                }
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
