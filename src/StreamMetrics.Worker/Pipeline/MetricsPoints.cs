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
        var fields = new List<KeyValuePair<string, FieldValue>>(24)
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
        AddIfKnown(fields, "p_no_order_90d", metrics.PNoOrder90d);
        AddIfKnown(fields, "expected_orders_30d", metrics.ExpectedOrders30d);
        AddIfKnown(fields, "expected_orders_90d", metrics.ExpectedOrders90d);
        AddIfKnown(fields, "expected_spend", metrics.ExpectedSpend);
        AddIfKnown(fields, "clv_12m", metrics.Clv12m);
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

    /// <summary>
    /// The <c>model</c> points of a population model, one per model it holds a fit of: the whole population's, or with
    /// <paramref name="partition"/> one partition's on its own customers. The tags say which model and partition, and
    /// never which model was chosen, so that each series keeps its tags.
    /// </summary>
    public static IEnumerable<Point> Models(PopulationModel model, DateTimeOffset at, int? partition = null)
    {
        if (model.Purchases.BgNbd is { Parameters: var bgNbd } bgNbdFit)
            yield return Model(ModelNames.BgNbd, at, partition, bgNbdFit.LogLikelihood, bgNbdFit.Customers,
                new("r", bgNbd.R), new("alpha_days", bgNbd.Alpha), new("a", bgNbd.A), new("b", bgNbd.B));
        if (model.Purchases.ParetoNbd is { Parameters: var paretoNbd } paretoNbdFit)
            yield return Model(ModelNames.ParetoNbd, at, partition, paretoNbdFit.LogLikelihood, paretoNbdFit.Customers,
                new("r", paretoNbd.R), new("alpha_days", paretoNbd.Alpha), new("s", paretoNbd.S), new("beta_days", paretoNbd.Beta));
        if (model.Spend is { Parameters: var spend } spendFit)
            yield return Model(ModelNames.GammaGamma, at, partition, spendFit.LogLikelihood, spendFit.Customers,
                new("p", spend.P), new("q", spend.Q), new("gamma", spend.Gamma));
    }

    private static Point Model(string name, DateTimeOffset at, int? partition, double logLikelihood, int customers, params KeyValuePair<string, double>[] parameters) =>
        new("model", partition is { } p ? [new("model", name), new("partition", p.ToString(System.Globalization.CultureInfo.InvariantCulture))] : [new("model", name)],
        [
            .. parameters.Select(parameter => new KeyValuePair<string, FieldValue>(parameter.Key, FieldValue.Float(parameter.Value))),
            new("log_likelihood", FieldValue.Float(logLikelihood)),
            new("customers", FieldValue.Integer(customers)),
        ], at);

    public static Point From(CustomerEvent customerEvent)
    {
        // Exactly the fields, in an array: every new customer's event is a point, and a list of five cost 128 bytes more.
        var (pAlive, daysSince) = (Known(customerEvent.PAlive), Known(customerEvent.DaysSinceLastOrder));
        var fields = new KeyValuePair<string, FieldValue>[1 + (pAlive is null ? 0 : 1) + (daysSince is null ? 0 : 1) + (customerEvent.From is null ? 0 : 1)
            + (customerEvent.To is null ? 0 : 1)];
        var at = 0;
        fields[at++] = new("orders_30d", FieldValue.Integer(customerEvent.Orders30d));
        if (pAlive is { } p) fields[at++] = new("p_alive", FieldValue.Float(p));
        if (daysSince is { } days) fields[at++] = new("days_since_last_order", FieldValue.Float(days));
        if (customerEvent.From is { } from) fields[at++] = new("from", FieldValue.String(from));
        if (customerEvent.To is { } to) fields[at] = new("to", FieldValue.String(to));
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
                new("revenue_total", FieldValue.Float((double)figures.RevenueTotal)),
                new("clv_12m", FieldValue.Float(figures.Clv12m)),
            ], figures.PeriodStart);

    private static void AddIfKnown(List<KeyValuePair<string, FieldValue>> fields, string name, double? value)
    {
        if (Known(value) is { } known) fields.Add(new(name, FieldValue.Float(known)));
    }

    /// <summary>The value when it is a finite number: line protocol has no NaN or infinity.</summary>
    private static double? Known(double? value) => value is { } known && double.IsFinite(known) ? known : null;
}
