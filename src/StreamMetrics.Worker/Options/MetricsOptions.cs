namespace StreamMetrics.Worker.Options;

/// <summary>The <c>Metrics</c> section: time, windows and the input contract's deployment settings.</summary>
public sealed class MetricsOptions
{
    public TimeSpan Period { get; set; } = TimeSpan.FromDays(1);

    public TimeSpan AllowedLateness { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The one currency of the deployment; empty accepts any.</summary>
    public string Currency { get; set; } = "";

    /// <summary>How far behind a customer's newest order its windows and order ids are kept.</summary>
    public TimeSpan OrderIdRetention { get; set; } = TimeSpan.FromDays(90);
}
