namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>
/// Hand over what changed since the last checkpoint, for the changelog, with the offset that may be
/// committed once it is written (DESIGN §5).
/// </summary>
public sealed record Checkpoint;
