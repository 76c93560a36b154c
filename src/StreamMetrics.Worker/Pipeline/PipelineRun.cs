namespace StreamMetrics.Worker.Pipeline;

/// <summary>How a pipeline run ends.</summary>
/// <param name="UntilCaughtUp">Stop by itself once the end offsets seen at start-up are read.</param>
/// <param name="EndTime">Before the last emission of a bounded run, move the watermark here.</param>
/// <param name="EmitAllOnStop">Emit open windows too when stopped (the demo, which shows everything it read).</param>
public sealed record PipelineRun(bool UntilCaughtUp, DateTimeOffset? EndTime, bool EmitAllOnStop, TimeSpan ShutdownTimeout);
