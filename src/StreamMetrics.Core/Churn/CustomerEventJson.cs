using System.Buffers;
using System.Text.Json;

namespace StreamMetrics.Core.Churn;

/// <summary>The alert a customer event becomes on the <c>customer-alerts</c> topic.</summary>
public static class CustomerEventJson
{
    public static byte[] Serialize(CustomerEvent customerEvent)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("alertId", customerEvent.AlertId);
            json.WriteString("customerId", customerEvent.CustomerId);
            json.WriteString("event", customerEvent.Event);
            json.WriteString("eventTime", customerEvent.EventTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture));
            WriteNumber(json, "pAlive", customerEvent.PAlive);
            WriteNumber(json, "daysSinceLastOrder", customerEvent.DaysSinceLastOrder);
            json.WriteNumber("orders30d", customerEvent.Orders30d);
            json.WriteString("segment", customerEvent.Segment);
            json.WriteString("from", customerEvent.From);
            json.WriteString("to", customerEvent.To);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } known && double.IsFinite(known)) json.WriteNumber(name, known);
        else json.WriteNull(name);
    }
}
