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

    public SegmentsOptions Segments { get; set; } = new();

    public ScalingOptions Scaling { get; set; } = new();

    public HttpOptions Http { get; set; } = new();

    /// <summary><c>Influx:DeadLetterTopic</c>, or by default one per consumer group: <c>&lt;Kafka:GroupId&gt;-points.dlq</c>.</summary>
    public string PointsDeadLetterTopic => Influx.DeadLetterTopic.Length > 0 ? Influx.DeadLetterTopic : $"{Kafka.GroupId}-points.dlq";

    /// <summary>How long a graceful stop may take to write out, commit and leave the group.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a partition may run without answering a command before the worker fails; a pause of the whole process does not count.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
