namespace StreamMetrics.Core.Demand;

/// <summary>What demand is counted for: the whole shop, a region, a category, a SKU, or a SKU in a region.</summary>
public readonly record struct DemandKey(string Level, string Key)
{
    // Computed once: every order looks its keys up in a period's figures and changed set, and hashing both strings
    // each time cost more than the demand arithmetic itself.
    private readonly int _hash = HashCode.Combine(Level, Key);

    // No init accessors, so that no `with` can change a key without its hash.
    public string Level { get; } = Level;

    public string Key { get; } = Key;

    public bool Equals(DemandKey other) => _hash == other._hash && string.Equals(Level, other.Level, StringComparison.Ordinal) && string.Equals(Key, other.Key, StringComparison.Ordinal);

    public override int GetHashCode() => _hash;

    public const string Total = "total", Region = "region", Category = "category", Sku = "sku", SkuRegion = "sku_region";

    public static readonly DemandKey All = new(Total, "all");

    public override string ToString() => $"{Level}:{Key}";
}

/// <summary>Demand in one period: units bought less units returned, purchase orders, and purchase revenue.</summary>
public readonly record struct DemandFigures(long Units, long Orders, decimal Revenue)
{
    public static DemandFigures operator +(DemandFigures a, DemandFigures b) => new(a.Units + b.Units, a.Orders + b.Orders, a.Revenue + b.Revenue);
}
