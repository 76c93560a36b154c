namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>Asks a partition for every customer's summary at its watermark, for the population models.</summary>
public sealed record SummarizeCustomers;
