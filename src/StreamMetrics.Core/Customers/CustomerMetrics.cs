using StreamMetrics.Core.Churn;
using StreamMetrics.Core.CustomerValue;
using StreamMetrics.Core.Segments;

namespace StreamMetrics.Core.Customers;

/// <summary>A customer's behaviour at a watermark: the fields and tags of a <c>customer_metrics</c> point (DESIGN §4).</summary>
public sealed record CustomerMetrics(
    string CustomerId,
    DateTimeOffset WindowStart,
    string Segment,
    ChurnState ChurnState,
    long OrdersTotal,
    decimal RevenueTotal,
    decimal? AovTotal,
    long Orders7d,
    decimal Revenue7d,
    long Orders30d,
    decimal Revenue30d,
    long Orders90d,
    decimal Revenue90d,
    double? DaysSinceLastOrder,
    double? MeanDaysBetweenOrders,
    double? PAlive,
    double? PNoOrder90d,
    double? ExpectedOrders30d,
    double? ExpectedOrders90d,
    double? ExpectedSpend,
    double? Clv12m,
    RfmScore? Rfm)
{
    /// <summary>Computes the metrics of one customer at <paramref name="watermark"/>; the point goes in the window holding the watermark.</summary>
    public static CustomerMetrics Of(CustomerState state, DateTimeOffset watermark, DateTimeOffset windowStart, PopulationModel model)
    {
        var summary = state.Summarize(watermark);
        var history = summary.History;
        double? pAlive = null, pNoOrder = null, expected30 = null, expected90 = null, expectedSpend = null, clv = null;
        if (history is { } h)
        {
            var purchases = model.PurchaseModel;
            // Expected purchases by each month's end: the first and third are the 30- and 90-day fields, all twelve make the CLV.
            Span<double> byMonthEnd = stackalloc double[CustomerLifetimeValue.Months];
            if (purchases is not null)
            {
                pAlive = purchases.PAlive(h);
                pNoOrder = purchases.PNoPurchase(h, ChurnThresholds.HorizonDays);
                purchases.ExpectedPurchases(h, CustomerLifetimeValue.MonthEnds, byMonthEnd);
                (expected30, expected90) = (byMonthEnd[0], byMonthEnd[2]);
            }
            // A one-time buyer gets the population's mean spend, not its first day's: Gamma-Gamma leaves first purchases out of the fit too.
            if (model.Spend is { } spend)
            {
                expectedSpend = spend.ExpectedSpend(SpendHistory.Of(summary));
                if (purchases is not null) clv = CustomerLifetimeValue.TwelveMonths(byMonthEnd, expectedSpend.Value);
            }
        }
        var rfm = Segments.Rfm.Score(model.Cuts, summary);
        var (orders7, revenue7) = state.Trailing(watermark, TimeSpan.FromDays(7));
        var (orders30, revenue30) = state.Trailing(watermark, TimeSpan.FromDays(30));
        var (orders90, revenue90) = state.Trailing(watermark, TimeSpan.FromDays(90));
        return new CustomerMetrics(
            state.CustomerId,
            windowStart,
            Segments.Rfm.SegmentOf(rfm),
            model.Churn.Classify(summary, pNoOrder),
            state.Purchases,
            state.PurchaseRevenue - state.Refunded,
            state.Purchases > 0 ? Math.Round(state.PurchaseRevenue / state.Purchases, 6) : null,
            orders7, revenue7, orders30, revenue30, orders90, revenue90,
            summary.DaysSinceLastPurchase,
            history is { X: > 0 } repeat ? repeat.Tx / repeat.X : null,
            pAlive, pNoOrder, expected30, expected90, expectedSpend, clv, rfm);
    }
}
