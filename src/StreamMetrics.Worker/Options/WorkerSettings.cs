using StreamMetrics.Influx.Writing;

namespace StreamMetrics.Worker.Options;

/// <summary>All configuration of one process, bound from appsettings.json, the environment and the command line.</summary>
public sealed class WorkerSettings
{
    public KafkaOptions Kafka { get; set; } = new();

    public InfluxOptions Influx { get; set; } = new();

    public MetricsOptions Metrics { get; set; } = new();

    public ChurnOptions Churn { get; set; } = new();

    public DemandOptions Demand { get; set; } = new();

    public ScalingOptions Scaling { get; set; } = new();

    public HttpOptions Http { get; set; } = new();

    /// <summary>How long a graceful stop may take to write out, commit and leave the group.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
