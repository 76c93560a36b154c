using StreamMetrics.Core.Orders;

namespace StreamMetrics.Core.Demand;

/// <summary>
/// What one order adds to demand, per key: a purchase adds its units, one order and its revenue to the
/// total, its region, and each of its categories and SKUs; a return takes its units away.
/// </summary>
public static class DemandContribution
{
    /// <summary>Adds the order's contributions to <paramref name="into"/>; SKUs in a region only for <paramref name="regionalSkus"/>.</summary>
    public static void Add(OrderEvent order, IDictionary<DemandKey, DemandFigures> into, IReadOnlySet<string>? regionalSkus = null)
    {
        var purchase = order.Kind == OrderKind.Purchase;
        var sign = purchase ? 1 : -1;
        var orders = purchase ? 1 : 0;
        Add(into, DemandKey.All, new DemandFigures(sign * order.Units, orders, purchase ? order.Amount : 0));
        if (order.Region is { } region) Add(into, new DemandKey(DemandKey.Region, region), new DemandFigures(sign * order.Units, orders, purchase ? order.Amount : 0));

        // An order counts once per SKU and category, however many of its lines name them.
        HashSet<DemandKey>? counted = order.Items.Count > 1 ? [] : null;
        foreach (var item in order.Items)
        {
            var revenue = purchase ? item.Quantity * item.UnitPrice : 0;
            AddItem(new DemandKey(DemandKey.Sku, item.Sku));
            if (item.Category is { } category) AddItem(new DemandKey(DemandKey.Category, category));
            if (order.Region is { } itemRegion && regionalSkus?.Contains(item.Sku) == true) AddItem(new DemandKey(DemandKey.SkuRegion, $"{item.Sku}|{itemRegion}"));

            void AddItem(DemandKey key) =>
                Add(into, key, new DemandFigures(sign * item.Quantity, counted is null || counted.Add(key) ? orders : 0, revenue));
        }
    }

    private static void Add(IDictionary<DemandKey, DemandFigures> into, DemandKey key, DemandFigures figures) =>
        into[key] = into.TryGetValue(key, out var known) ? known + figures : figures;
}
