namespace StreamMetrics.Core.Churn;

/// <summary>
/// A change in a customer's standing, for the <c>customer_events</c> measurement and the
/// <c>customer-alerts</c> topic. <see cref="AlertId"/> is derived from customer, event and time, so a
/// replay produces the same alert again rather than a new one.
/// </summary>
public sealed record CustomerEvent(
    string CustomerId,
    string Event,
    DateTimeOffset EventTime,
    double? PAlive,
    double? DaysSinceLastOrder,
    long Orders30d,
    string Segment,
    string? From,
    string? To)
{
    public const string NewCustomer = "new_customer", AtRisk = "at_risk", Churned = "churned", Reactivated = "reactivated",
        EngagementDrop = "engagement_drop", SegmentChanged = "segment_changed";

    public string AlertId => AlertHash.ToString("x16");

    /// <summary>
    /// The hash of customer, event and time, each on a line (<see cref="AlertId"/> in hexadecimal): hashed part by part, as
    /// every new customer's alert has one and their text was 40 % of what an alert allocated.
    /// </summary>
    public ulong AlertHash
    {
        get
        {
            Span<char> ticks = stackalloc char[20];
            EventTime.UtcTicks.TryFormat(ticks, out var length, default, System.Globalization.CultureInfo.InvariantCulture);
            var hash = StableHash.Continue(StableHash.Continue(StableHash.Of(CustomerId), "\n"), Event);
            return StableHash.Continue(StableHash.Continue(hash, "\n"), ticks[..length]);
        }
    }
}
