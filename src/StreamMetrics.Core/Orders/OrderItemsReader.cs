using System.Text.Json;

namespace StreamMetrics.Core.Orders;

/// <summary>Reads the optional <c>items</c> array of an order event, with a reason for each kind of bad item.</summary>
internal static class OrderItemsReader
{
    private static readonly string[] Fields = ["sku", "category", "quantity", "unitPrice"];
    private static readonly byte[][] Utf8Fields = [.. Fields.Select(System.Text.Encoding.UTF8.GetBytes)];

    // Items are gathered here and then copied into an array of their number: a list of its own for each order cost the
    // list and the arrays it outgrew.
    [ThreadStatic]
    private static List<OrderItem>? t_items;

    public static string? Read(ref Utf8JsonReader reader, out OrderItem[]? items)
    {
        items = null;
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartArray) return "'items' must be an array";
        var read = t_items ??= [];
        read.Clear();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var problem = ReadItem(ref reader, read.Count, out var item);
            if (problem is not null) return problem;
            read.Add(item);
        }
        items = [.. read];
        read.Clear();
        return null;
    }

    private static string? ReadItem(ref Utf8JsonReader reader, int index, out OrderItem item)
    {
        item = default;
        if (reader.TokenType != JsonTokenType.StartObject) return $"items[{index}] must be an object";
        string? sku = null, category = null;
        long? quantity = null;
        decimal unitPrice = 0;
        var seen = new SeenFields(Fields);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = OrderParser.KnownField(ref reader, Utf8Fields);
            if (seen.Repeated(ref reader, field) is { } repeated) return $"items[{index}] has a duplicate field '{OrderParser.Shorten(repeated)}'";
            reader.Read();
            string? problem;
            switch (field)
            {
                case 0:
                    if (reader.TokenType != JsonTokenType.String) return $"items[{index}].sku must be a string";
                    sku = RepeatedText.Read(ref reader);
                    problem = null;
                    break;
                case 1:
                    problem = OrderParser.TryReadOptionalString(ref reader, out category) ? null : $"'items[{index}].category' must be a string";
                    break;
                case 2:
                    problem = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var whole) && whole > 0
                        ? null
                        : $"items[{index}].quantity must be a whole number > 0";
                    if (problem is null) quantity = reader.GetInt64();
                    break;
                case 3:
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDecimal(out unitPrice))
                        return $"items[{index}].unitPrice must be a number";
                    problem = unitPrice < 0 ? $"items[{index}].unitPrice is negative" : null;
                    break;
                default:
                    problem = OrderParser.Skip(ref reader);
                    break;
            }
            if (problem is not null) return problem;
        }
        if (string.IsNullOrEmpty(sku)) return $"items[{index}].sku is missing";
        if (quantity is null) return $"items[{index}].quantity is missing";
        item = new OrderItem(sku, category, quantity.Value, unitPrice);
        return null;
    }
}
