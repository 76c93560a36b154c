using StreamMetrics.Core.Customers;

namespace StreamMetrics.Core.Segments;

/// <summary>RFM scores against the population's cut points, and the segment each (R, F) pair names.</summary>
public static class Rfm
{
    public const string NoSegment = "none";

    // Rows R = 5..1, columns F = 1..5.
    private static readonly string[][] Segments =
    [
        ["new_customers", "potential_loyalist", "potential_loyalist", "champions", "champions"],
        ["promising", "potential_loyalist", "loyal_customers", "loyal_customers", "champions"],
        ["about_to_sleep", "need_attention", "need_attention", "loyal_customers", "loyal_customers"],
        ["hibernating", "hibernating", "at_risk", "at_risk", "cant_lose_them"],
        ["lost", "lost", "at_risk", "cant_lose_them", "cant_lose_them"],
    ];

    /// <summary>F = 1 + #{q &lt; purchases}, M = 1 + #{q &lt; net revenue}, R = 5 − #{q &lt; days since last purchase}; null without a purchase.</summary>
    public static RfmScore? Score(RfmCutPoints cuts, CustomerSummary customer)
    {
        if (customer.DaysSinceLastPurchase is not { } days || cuts.Purchases.Length == 0) return null;
        return new RfmScore(
            5 - cuts.DaysSinceLastPurchase.Count(q => q < days),
            1 + cuts.Purchases.Count(q => q < customer.Purchases),
            1 + cuts.NetRevenue.Count(q => q < customer.NetRevenue));
    }

    public static string SegmentOf(RfmScore? score) => score is { } s ? Segments[5 - s.R][s.F - 1] : NoSegment;
}
