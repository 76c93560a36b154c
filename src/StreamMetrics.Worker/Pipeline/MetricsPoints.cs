using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Customers;
using StreamMetrics.Core.Segments;
using StreamMetrics.Influx.LineProtocol;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>Maps customer metrics and model fits to <c>customer_metrics</c> and <c>model</c> points (DESIGN §4).</summary>
public static class MetricsPoints
{
    public static Point From(CustomerMetrics metrics)
    {
        var fields = new List<KeyValuePair<string, FieldValue>>(22)
        {
            new("segment", FieldValue.String(metrics.Segment)),
            new("churn_state", FieldValue.String(CustomerTracker.Name(metrics.ChurnState))),
            new("orders_total", FieldValue.Integer(metrics.OrdersTotal)),
            new("revenue_total", FieldValue.Float((double)metrics.RevenueTotal)),
            new("orders_7d", FieldValue.Integer(metrics.Orders7d)),
            new("revenue_7d", FieldValue.Float((double)metrics.Revenue7d)),
            new("orders_30d", FieldValue.Integer(metrics.Orders30d)),
            new("revenue_30d", FieldValue.Float((double)metrics.Revenue30d)),
            new("orders_90d", FieldValue.Integer(metrics.Orders90d)),
            new("revenue_90d", FieldValue.Float((double)metrics.Revenue90d)),
        };
        AddIfKnown(fields, "aov_total", (double?)metrics.AovTotal);
        AddIfKnown(fields, "days_since_last_order", metrics.DaysSinceLastOrder);
        AddIfKnown(fields, "mean_days_between_orders", metrics.MeanDaysBetweenOrders);
        AddIfKnown(fields, "p_alive", metrics.PAlive);
        AddIfKnown(fields, "expected_orders_30d", metrics.ExpectedOrders30d);
        AddIfKnown(fields, "expected_orders_90d", metrics.ExpectedOrders90d);
        if (metrics.Rfm is { } rfm)
        {
            fields.Add(new("rfm_r", FieldValue.Integer(rfm.R)));
            fields.Add(new("rfm_f", FieldValue.Integer(rfm.F)));
            fields.Add(new("rfm_m", FieldValue.Integer(rfm.M)));
        }
        // Segment and churn state are fields: they change over time, and a tag that changes starts another series,
        // which would give "who is at risk now" two answers for a customer evaluated twice at one timestamp.
        return new Point("customer_metrics", [new("customer_id", metrics.CustomerId)], fields, metrics.WindowStart);
    }

    /// <summary>A <c>model</c> point: the whole population's fit, or with <paramref name="partition"/> one partition's fit on its own customers.</summary>
    public static Point From(BgNbdFit fit, DateTimeOffset at, int? partition = null) =>
        new("model", partition is { } p ? [new("model", "bgnbd"), new("partition", p.ToString(System.Globalization.CultureInfo.InvariantCulture))] : [new("model", "bgnbd")],
        [
            new("r", FieldValue.Float(fit.Parameters.R)),
            new("alpha_days", FieldValue.Float(fit.Parameters.Alpha)),
            new("a", FieldValue.Float(fit.Parameters.A)),
            new("b", FieldValue.Float(fit.Parameters.B)),
            new("log_likelihood", FieldValue.Float(fit.LogLikelihood)),
            new("customers", FieldValue.Integer(fit.Customers)),
        ], at);

    public static Point From(CustomerEvent customerEvent)
    {
        var fields = new List<KeyValuePair<string, FieldValue>>(5) { new("orders_30d", FieldValue.Integer(customerEvent.Orders30d)) };
        AddIfKnown(fields, "p_alive", customerEvent.PAlive);
        AddIfKnown(fields, "days_since_last_order", customerEvent.DaysSinceLastOrder);
        if (customerEvent.From is { } from) fields.Add(new("from", FieldValue.String(from)));
        if (customerEvent.To is { } to) fields.Add(new("to", FieldValue.String(to)));
        return new Point("customer_events", [new("event", customerEvent.Event), new("customer_id", customerEvent.CustomerId)], fields, customerEvent.EventTime);
    }

    public static Point From(SegmentFigures figures, int partition) =>
        new("segment_metrics",
            [new("scheme", figures.Scheme), new("segment", figures.Segment), new("partition", partition.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            [
                new("customers", FieldValue.Integer(figures.Customers)),
                new("active_customers", FieldValue.Integer(figures.ActiveCustomers)),
                new("orders", FieldValue.Integer(figures.Orders)),
                new("revenue", FieldValue.Float((double)figures.Revenue)),
                new("at_risk", FieldValue.Integer(figures.AtRisk)),
                new("churned", FieldValue.Integer(figures.Churned)),
                new("new_customers", FieldValue.Integer(figures.NewCustomers)),
                new("reactivated", FieldValue.Integer(figures.Reactivated)),
            ], figures.PeriodStart);

    private static void AddIfKnown(List<KeyValuePair<string, FieldValue>> fields, string name, double? value)
    {
        if (value is { } known && double.IsFinite(known)) fields.Add(new(name, FieldValue.Float(known)));
    }
}
