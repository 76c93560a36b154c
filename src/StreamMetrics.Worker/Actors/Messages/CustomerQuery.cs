namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>Asks one customer for its summary at a watermark, for the population models.</summary>
public sealed record CustomerQuery(DateTimeOffset Watermark);
