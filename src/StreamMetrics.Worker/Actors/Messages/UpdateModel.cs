using StreamMetrics.Core.Customers;

namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>A new fit of the population models, used from the next period end on.</summary>
public sealed record UpdateModel(PopulationModel Model);
