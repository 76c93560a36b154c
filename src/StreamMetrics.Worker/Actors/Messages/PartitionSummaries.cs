using StreamMetrics.Core.Customers;

namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>The summaries of a partition's customers at its watermark.</summary>
public sealed record PartitionSummaries(int Partition, DateTimeOffset? Watermark, IReadOnlyList<CustomerSummary> Customers);
