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

    public string AlertId => StableHash.Of($"{CustomerId}\n{Event}\n{EventTime.UtcTicks}").ToString("x16");
}
