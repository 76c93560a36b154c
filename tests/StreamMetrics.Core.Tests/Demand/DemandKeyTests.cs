using StreamMetrics.Core.Demand;

namespace StreamMetrics.Core.Tests.Demand;

public sealed class DemandKeyTests
{
    [Fact]
    public void Keys_of_equal_text_are_equal_and_hash_alike_whichever_strings_hold_them()
    {
        var key = new DemandKey(DemandKey.Sku, "85123A");
        var same = new DemandKey(new string(DemandKey.Sku.AsSpan()), new string("85123A".AsSpan()));

        Assert.Equal(key, same);
        Assert.Equal(key.GetHashCode(), same.GetHashCode());
        Assert.NotEqual(key, new DemandKey(DemandKey.Category, "85123A"));
        Assert.NotEqual(key, new DemandKey(DemandKey.Sku, "85123B"));
        Assert.Single(new HashSet<DemandKey> { key, same });
    }
}
