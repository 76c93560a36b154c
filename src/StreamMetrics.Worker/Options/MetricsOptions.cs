namespace StreamMetrics.Worker.Options;

/// <summary>The <c>Metrics</c> section: time, windows and the input contract's deployment settings.</summary>
public sealed class MetricsOptions
{
    public TimeSpan Period { get; set; } = TimeSpan.FromDays(1);

    public TimeSpan AllowedLateness { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The one currency of the deployment; empty accepts any.</summary>
    public string Currency { get; set; } = "";

    /// <summary>How far beyond the wall clock an order's event time may lie before it is dead-lettered.</summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How far behind a customer's newest order its windows and order ids are kept.</summary>
    public TimeSpan OrderIdRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>A customer without an order for this long in event time is forgotten, with a tombstone in the changelog: memory stays bounded by the customers still buying.</summary>
    public TimeSpan CustomerRetention { get; set; } = TimeSpan.FromDays(3 * 365);

    /// <summary>A customer without orders for this long (wall clock) is kept as compact bytes instead of a live actor.</summary>
    public TimeSpan PassivateAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often <c>run</c> writes its <c>pipeline</c> points (lag, rates, customers per partition) to InfluxDB.</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A repeat buyer is at risk above this P(no order in the next 90 days).</summary>
    public double AtRiskPNoOrder { get; set; } = 0.5;

    /// <summary>A repeat buyer has churned above this P(no order in the next 90 days).</summary>
    public double ChurnedPNoOrder { get; set; } = 0.8;

    /// <summary>A one-time buyer is at risk once it has waited longer than this share of the population's first-to-second-purchase gaps.</summary>
    public double AtRiskGapPercentile { get; set; } = 0.80;

    /// <summary>A one-time buyer has churned once it has waited longer than this share of those gaps.</summary>
    public double ChurnedGapPercentile { get; set; } = 0.95;

    public Core.Churn.ChurnThresholds ChurnThresholds => new()
    {
        AtRiskPNoOrder = AtRiskPNoOrder,
        ChurnedPNoOrder = ChurnedPNoOrder,
        AtRiskGapPercentile = AtRiskGapPercentile,
        ChurnedGapPercentile = ChurnedGapPercentile,
    };
}
