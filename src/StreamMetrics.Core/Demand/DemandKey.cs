namespace StreamMetrics.Core.Demand;

/// <summary>What demand is counted for: the whole shop, a region, a category, a SKU, or a SKU in a region.</summary>
public readonly record struct DemandKey(string Level, string Key)
{
    public const string Total = "total", Region = "region", Category = "category", Sku = "sku", SkuRegion = "sku_region";

    public static readonly DemandKey All = new(Total, "all");

    public override string ToString() => $"{Level}:{Key}";
}

/// <summary>Demand in one period: units bought less units returned, purchase orders, and purchase revenue.</summary>
public readonly record struct DemandFigures(long Units, long Orders, decimal Revenue)
{
    public static DemandFigures operator +(DemandFigures a, DemandFigures b) => new(a.Units + b.Units, a.Orders + b.Orders, a.Revenue + b.Revenue);
}
