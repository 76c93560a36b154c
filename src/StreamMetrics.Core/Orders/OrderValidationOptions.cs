namespace StreamMetrics.Core.Orders;

/// <summary>The deployment's limits on order events (DESIGN §2).</summary>
public sealed record OrderValidationOptions
{
    /// <summary>The one currency of the deployment; null or empty accepts any.</summary>
    public string? RequiredCurrency { get; init; }

    public int MaxValueBytes { get; init; } = 1 << 20;

    public int MaxIdLength { get; init; } = 128;

    /// <summary>The latest event time accepted: the wall clock plus the allowed skew, set per batch by the caller; null accepts any.</summary>
    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>The event-time range a time-series database can store (InfluxDB: nanoseconds since 1970 in 64 bits).</summary>
    public static readonly DateTimeOffset EarliestStorable = new(1677, 9, 22, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset LatestStorable = new(2262, 4, 11, 0, 0, 0, TimeSpan.Zero);
}
