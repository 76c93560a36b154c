using StreamMetrics.Core.Customers;

namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>The metrics of a partition's customers.</summary>
public sealed record PartitionMetrics(int Partition, IReadOnlyList<CustomerMetrics> Customers);
