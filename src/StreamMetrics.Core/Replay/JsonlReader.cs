using System.Text;
using StreamMetrics.Core.Orders;

namespace StreamMetrics.Core.Replay;

/// <summary>One order event per line, exactly as on the wire; a line that is not a valid order is skipped with its reason.</summary>
public static class JsonlReader
{
    public static ReplayData Read(TextReader reader)
    {
        var orders = new List<OrderEvent>();
        var problems = new List<string>();
        var skipped = 0;
        var lineNumber = 0;
        var options = new OrderValidationOptions();
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            // A bad order is skipped with its reason, but a first line that is no JSON object at all means the file is of another format.
            if (orders.Count == 0 && skipped == 0 && !line.TrimStart().StartsWith('{'))
                throw new InvalidDataException($"not a JSON Lines file: expected one order event per line, a JSON object such as {{\"orderId\":\"536365\",\"customerId\":\"17850\",…}}, found {ReplayReader.Quote(line)}");
            var value = Encoding.UTF8.GetBytes(line);
            // On the wire the key is the customerId; a file has no keys, so the order's own customerId stands in.
            var key = Encoding.UTF8.GetBytes(CustomerIdOf(value) ?? "");
            if (OrderParser.TryParse(key, value, options, out var order, out var error))
            {
                orders.Add(order);
                continue;
            }
            skipped++;
            if (problems.Count < 100) problems.Add($"line {lineNumber}: {error}");
        }
        orders.Sort(ReplayReader.ByTime);
        return new ReplayData(orders, skipped, problems);
    }

    private static string? CustomerIdOf(byte[] value)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(value);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                   && document.RootElement.TryGetProperty("customerId", out var id)
                   && id.ValueKind == System.Text.Json.JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
