namespace StreamMetrics.Core.Orders;

/// <summary>Whether an order adds to a customer's purchases or refunds part of one.</summary>
public enum OrderKind : byte
{
    Purchase,
    Return,
}

/// <summary>One line of an order.</summary>
/// <remarks>A struct: an order's items are one array, not an object each.</remarks>
public readonly record struct OrderItem(string Sku, string? Category, long Quantity, decimal UnitPrice);

/// <summary>A validated order event, the input contract of DESIGN §2.</summary>
/// <remarks>
/// A struct, like its items: the worker's orders travel in lists it reuses from batch to batch, so an order is no object
/// of its own (one was a tenth of what the worker allocated an order in its steady phase).
/// </remarks>
/// <param name="Amount">The order total of a purchase, or the refunded value of a return; 0 ≤ Amount ≤ 1e9.</param>
public readonly record struct OrderEvent(
    string OrderId,
    string CustomerId,
    DateTimeOffset Timestamp,
    OrderKind Kind,
    decimal Amount,
    string? Currency,
    string? Region,
    string? Channel,
    IReadOnlyList<OrderItem> Items)
{
    /// <summary>Units bought (or returned): the sum of item quantities.</summary>
    public long Units
    {
        get
        {
            // Indexed: a foreach through the interface would box an enumerator at every call, several per order.
            long units = 0;
            for (var i = 0; i < Items.Count; i++) units += Items[i].Quantity;
            return units;
        }
    }
}
