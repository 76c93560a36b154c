namespace StreamMetrics.Core.Customers;

/// <summary>A customer's activity in one period window: the fields of a <c>customer_activity</c> point.</summary>
public sealed record ActivityWindow(
    string CustomerId,
    DateTimeOffset WindowStart,
    long Orders,
    decimal Revenue,
    long Returns,
    decimal Refunded,
    long Units)
{
    /// <summary>Average order value; null when the window holds no purchase.</summary>
    public decimal? Aov => Orders > 0 ? Math.Round(Revenue / Orders, 6, MidpointRounding.ToEven) : null;
}
