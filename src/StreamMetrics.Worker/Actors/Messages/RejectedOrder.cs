namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>An order that was valid on the wire but cannot be applied.</summary>
public sealed record RejectedOrder(long Offset, string Reason);
