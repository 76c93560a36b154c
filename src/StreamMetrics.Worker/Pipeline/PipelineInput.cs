using StreamMetrics.Kafka.Source;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>What enters the pipeline: Kafka's events, wall-clock ticks, and the request to drain.</summary>
public abstract record PipelineInput
{
    /// <summary>An event of the Kafka source.</summary>
    public sealed record FromKafka(SourceEvent Event) : PipelineInput;

    /// <summary>A wall-clock tick for idle partitions.</summary>
    public sealed record Tick(DateTimeOffset Now) : PipelineInput;

    /// <summary>
    /// Write out and acknowledge everything before this point, then complete <paramref name="Done"/>;
    /// with <paramref name="EmitAll"/>, open windows are emitted first (end of a bounded run).
    /// </summary>
    public sealed record Drain(bool EmitAll, DateTimeOffset? EndTime, TaskCompletionSource Done) : PipelineInput;

    /// <summary>Checkpoint these partitions (they are about to be revoked), then complete <paramref name="Done"/>.</summary>
    public sealed record CheckpointPartitions(IReadOnlyList<int> Partitions, TaskCompletionSource Done) : PipelineInput;
}
