using StreamMetrics.Core.Customers;

namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>What a partition asks of one customer: its summary, or its metrics under a model, at a watermark.</summary>
public abstract record CustomerQuery(DateTimeOffset Watermark)
{
    public sealed record Summary(DateTimeOffset Watermark) : CustomerQuery(Watermark);

    public sealed record Metrics(DateTimeOffset Watermark, DateTimeOffset WindowStart, PopulationModel Model) : CustomerQuery(Watermark);
}
