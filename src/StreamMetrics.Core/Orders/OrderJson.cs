using System.Buffers;
using System.Text.Json;

namespace StreamMetrics.Core.Orders;

/// <summary>Writes an order event in the wire format of DESIGN §2.</summary>
public static class OrderJson
{
    public static byte[] Serialize(OrderEvent order)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("orderId", order.OrderId);
            json.WriteString("customerId", order.CustomerId);
            json.WriteString("timestamp", order.Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("kind", order.Kind == OrderKind.Return ? "return" : "purchase");
            json.WriteNumber("amount", order.Amount);
            if (order.Currency is not null) json.WriteString("currency", order.Currency);
            if (order.Region is not null) json.WriteString("region", order.Region);
            if (order.Channel is not null) json.WriteString("channel", order.Channel);
            if (order.Items.Count > 0)
            {
                json.WriteStartArray("items");
                foreach (var item in order.Items)
                {
                    json.WriteStartObject();
                    json.WriteString("sku", item.Sku);
                    if (item.Category is null) json.WriteNull("category");
                    else json.WriteString("category", item.Category);
                    json.WriteNumber("quantity", item.Quantity);
                    json.WriteNumber("unitPrice", item.UnitPrice);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
