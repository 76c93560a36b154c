using StreamMetrics.Core.Customers;
using StreamMetrics.Influx.LineProtocol;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>Maps activity windows to <c>customer_activity</c> points (DESIGN §4).</summary>
public static class ActivityPoints
{
    public const string Measurement = "customer_activity";

    public static Point From(ActivityWindow window)
    {
        var fields = new List<KeyValuePair<string, FieldValue>>(6)
        {
            new("orders", FieldValue.Integer(window.Orders)),
            new("revenue", FieldValue.Float((double)window.Revenue)),
            new("returns", FieldValue.Integer(window.Returns)),
            new("refunded", FieldValue.Float((double)window.Refunded)),
            new("units", FieldValue.Integer(window.Units)),
        };
        if (window.Aov is { } aov) fields.Add(new("aov", FieldValue.Float((double)aov)));
        return new Point(Measurement, [new("customer_id", window.CustomerId)], fields, window.WindowStart);
    }
}
