using StreamMetrics.Core.Customers;

namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>Asks a partition for every customer's metrics under the population model, at the partition's watermark.</summary>
public sealed record EvaluateCustomers(PopulationModel Model);
