namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>The partition was revoked: stop once the commands before this one are answered.</summary>
public sealed record StopPartition;
