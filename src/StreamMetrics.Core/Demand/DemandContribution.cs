using StreamMetrics.Core.Orders;

namespace StreamMetrics.Core.Demand;

/// <summary>
/// What one order adds to demand, per key: a purchase adds its units, one order and its revenue to the
/// total, its region, and each of its categories and SKUs; a return takes its units away.
/// </summary>
public static class DemandContribution
{
    /// <summary>
    /// Hands each of the order's contributions to <paramref name="into"/>, a key at a time (a key named twice, twice); SKUs
    /// in a region only for <paramref name="regionalSkus"/>.
    /// </summary>
    public static void Add(OrderEvent order, Action<DemandKey, DemandFigures> into, IReadOnlySet<string>? regionalSkus = null)
    {
        var purchase = order.Kind == OrderKind.Purchase;
        var sign = purchase ? 1 : -1;
        var orders = purchase ? 1 : 0;
        into(DemandKey.All, new DemandFigures(sign * order.Units, orders, purchase ? order.Amount : 0));
        if (order.Region is { } region) into(new DemandKey(DemandKey.Region, region), new DemandFigures(sign * order.Units, orders, purchase ? order.Amount : 0));

        // An order counts once per SKU and category, however many of its lines name them.
        var items = order.Items;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var revenue = purchase ? item.Quantity * item.UnitPrice : 0;
            var firstOfSku = !NamedBefore(items, i, static line => line.Sku);
            into(new DemandKey(DemandKey.Sku, item.Sku), new DemandFigures(sign * item.Quantity, firstOfSku ? orders : 0, revenue));
            if (item.Category is { } category)
                into(new DemandKey(DemandKey.Category, category),
                    new DemandFigures(sign * item.Quantity, NamedBefore(items, i, static line => line.Category) ? 0 : orders, revenue));
            if (order.Region is { } itemRegion && regionalSkus?.Contains(item.Sku) == true)
                into(new DemandKey(DemandKey.SkuRegion, $"{item.Sku}|{itemRegion}"), new DemandFigures(sign * item.Quantity, firstOfSku ? orders : 0, revenue));
        }
    }

    /// <summary>Whether a line before <paramref name="index"/> has the same name; orders have a handful of lines, so no set is built.</summary>
    private static bool NamedBefore(IReadOnlyList<OrderItem> items, int index, Func<OrderItem, string?> name)
    {
        var own = name(items[index]);
        for (var i = 0; i < index; i++)
            if (string.Equals(name(items[i]), own, StringComparison.Ordinal)) return true;
        return false;
    }
}
