using StreamMetrics.Core.Churn;

namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>A partition's BG/NBD fit on its own customers as they stood at <paramref name="At"/>, the period start just evaluated.</summary>
public sealed record PartitionFit(BgNbdFit Fit, DateTimeOffset At);
