using StreamMetrics.Core.Customers;
using StreamMetrics.Influx.LineProtocol;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>Maps activity windows to <c>customer_activity</c> points (DESIGN §4).</summary>
public static class ActivityPoints
{
    public const string Measurement = "customer_activity";

    public static Point From(ActivityWindow window)
    {
        // Exactly the fields, in an array: a list's object and spare slot cost 64 bytes a point, and most points are these.
        var fields = new KeyValuePair<string, FieldValue>[window.Aov is null ? 5 : 6];
        fields[0] = new("orders", FieldValue.Integer(window.Orders));
        fields[1] = new("revenue", FieldValue.Float((double)window.Revenue));
        fields[2] = new("returns", FieldValue.Integer(window.Returns));
        fields[3] = new("refunded", FieldValue.Float((double)window.Refunded));
        fields[4] = new("units", FieldValue.Integer(window.Units));
        if (window.Aov is { } aov) fields[5] = new("aov", FieldValue.Float((double)aov));
        return new Point(Measurement, [new("customer_id", window.CustomerId)], fields, window.WindowStart);
    }
}
