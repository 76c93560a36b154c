namespace StreamMetrics.Core.Orders;

/// <summary>The deployment's limits on order events (DESIGN §2).</summary>
public sealed record OrderValidationOptions
{
    /// <summary>The one currency of the deployment; null or empty accepts any.</summary>
    public string? RequiredCurrency { get; init; }

    public int MaxValueBytes { get; init; } = 1 << 20;

    public int MaxIdLength { get; init; } = 128;
}
