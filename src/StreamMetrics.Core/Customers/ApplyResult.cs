namespace StreamMetrics.Core.Customers;

/// <summary>What applying one order to a customer's state did.</summary>
public enum ApplyResult : byte
{
    /// <summary>The order was counted in its window.</summary>
    Applied,

    /// <summary>The order id was seen before within the retention horizon; nothing changed.</summary>
    Duplicate,

    /// <summary>The order is older than the retention horizon, so its window is no longer kept; nothing changed.</summary>
    BeyondRetention,
}
