namespace StreamMetrics.Worker.Options;

/// <summary>How the replica recommendation weighs lag (issue 8, README "Scaling").</summary>
public sealed class ScalingOptions
{
    /// <summary>How soon the recommended workers should have drained the current lag.</summary>
    public TimeSpan CatchUpTarget { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>KEDA's lagThreshold: never fewer workers than ⌈total lag ÷ this⌉.</summary>
    public long LagThreshold { get; set; } = 100_000;
}
