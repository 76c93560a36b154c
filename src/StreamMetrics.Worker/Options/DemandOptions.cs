namespace StreamMetrics.Worker.Options;

/// <summary>The <c>Demand</c> section: how demand is counted for inventory planners.</summary>
public sealed class DemandOptions
{
    /// <summary>The demand period, UTC-aligned; divides a day or is whole days.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The levels forecast and watched for alerts each time a day closes (comma-separated).</summary>
    public string ForecastLevels { get; set; } = "total,region,category";

    /// <summary>How many days ahead each forecast reaches.</summary>
    public int ForecastHorizon { get; set; } = 14;

    public IReadOnlySet<string> ForecastLevelSet =>
        ForecastLevels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
}
