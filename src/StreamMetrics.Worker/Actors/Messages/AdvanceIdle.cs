namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>A wall-clock tick: lets an idle partition's watermark advance (DESIGN §3).</summary>
public sealed record AdvanceIdle(DateTimeOffset Now);
