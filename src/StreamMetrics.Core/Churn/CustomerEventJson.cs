using System.Buffers;
using System.Text.Json;

namespace StreamMetrics.Core.Churn;

/// <summary>The alert a customer event becomes on the <c>customer-alerts</c> topic.</summary>
public static class CustomerEventJson
{
    /// <remarks>
    /// Written through a buffer and a JSON writer of the thread's own: Utf8JsonWriter asks its buffer for
    /// kilobytes before a number, so a buffer of each alert's own grew to several times the alert.
    /// </remarks>
    public static byte[] Serialize(CustomerEvent customerEvent)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var json = t_json ??= new Utf8JsonWriter(buffer);
        json.Reset(buffer);
        json.WriteStartObject();
        Span<char> alertId = stackalloc char[16];
        customerEvent.AlertHash.TryFormat(alertId, out _, "x16", System.Globalization.CultureInfo.InvariantCulture);
        json.WriteString("alertId", alertId);
        json.WriteString("customerId", customerEvent.CustomerId);
        json.WriteString("event", customerEvent.Event);
        Span<char> eventTime = stackalloc char[32];
        customerEvent.EventTime.UtcDateTime.TryFormat(eventTime, out var eventTimeLength, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture);
        json.WriteString("eventTime", eventTime[..eventTimeLength]);
        WriteNumber(json, "pAlive", customerEvent.PAlive);
        WriteNumber(json, "daysSinceLastOrder", customerEvent.DaysSinceLastOrder);
        json.WriteNumber("orders30d", customerEvent.Orders30d);
        json.WriteString("segment", customerEvent.Segment);
        json.WriteString("from", customerEvent.From);
        json.WriteString("to", customerEvent.To);
        json.WriteEndObject();
        json.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_json;

    private static void WriteNumber(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } known && double.IsFinite(known)) json.WriteNumber(name, known);
        else json.WriteNull(name);
    }
}
