namespace StreamMetrics.Worker.Options;

/// <summary>The <c>Demand</c> section: how demand is counted for inventory planners.</summary>
public sealed class DemandOptions
{
    /// <summary>The demand period, UTC-aligned; divides a day or is whole days.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromHours(1);
}
