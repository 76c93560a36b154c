using StreamMetrics.Core.Customers;

namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>Evaluate every customer of the partition under this model now, and report every one (end of a bounded run).</summary>
public sealed record EvaluateCustomers(PopulationModel Model);
