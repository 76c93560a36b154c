using StreamMetrics.Core.Customers;

namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>A partition's models fitted on its own customers as they stood at <paramref name="At"/>, the period start just evaluated.</summary>
public sealed record PartitionFit(PopulationModel Model, DateTimeOffset At);
