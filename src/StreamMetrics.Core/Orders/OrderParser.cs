using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using System.Text.Json;

namespace StreamMetrics.Core.Orders;

/// <summary>
/// Reads a Kafka record (key and UTF-8 JSON value) into an <see cref="OrderEvent"/>, or says in one
/// sentence why it is not one. Uses <see cref="Utf8JsonReader"/> directly: no reflection, and never throws.
/// </summary>
public static class OrderParser
{
    private const decimal MaxAmount = 1_000_000_000m;
    private static readonly string[] OffsetFormats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK"];
    private static readonly string[] Fields = ["orderId", "customerId", "timestamp", "amount", "kind", "currency", "region", "channel", "items"];
    private static readonly byte[][] Utf8Fields = [.. Fields.Select(Encoding.UTF8.GetBytes)];

    public static bool TryParse(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, OrderValidationOptions options,
        out OrderEvent order, [NotNullWhen(false)] out string? error)
    {
        order = default;
        if (value.IsEmpty)
        {
            error = "value is empty";
            return false;
        }
        if (value.Length > options.MaxValueBytes)
        {
            error = $"value is {value.Length} bytes, over the {options.MaxValueBytes}-byte limit";
            return false;
        }
        try
        {
            error = Read(value, options, out order);
        }
        catch (JsonException e)
        {
            error = $"value is not valid JSON: {e.Message}";
        }
        catch (InvalidOperationException e)
        {
            error = $"value is not valid JSON: {e.Message}";
        }
        error ??= CheckKey(key, order.CustomerId);
        if (error is null) return true;
        order = default;
        return false;
    }

    private static string? CheckKey(ReadOnlySpan<byte> key, string customerId)
    {
        if (key.IsEmpty) return "record has no key; the key must be the customerId";
        if (!Utf8.IsValid(key)) return "record key is not valid UTF-8";
        var maxBytes = Encoding.UTF8.GetMaxByteCount(customerId.Length);
        var id = maxBytes <= 1024 ? stackalloc byte[maxBytes] : new byte[maxBytes];
        var length = Encoding.UTF8.GetBytes(customerId, id);
        return key.SequenceEqual(id[..length]) ? null : $"record key '{Shorten(Encoding.UTF8.GetString(key))}' differs from customerId '{Shorten(customerId)}'";
    }

    private static string? Read(ReadOnlySpan<byte> value, OrderValidationOptions options, out OrderEvent order)
    {
        order = default;
        var reader = new Utf8JsonReader(value, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 16 });
        if (!reader.Read()) return "value is empty";
        if (reader.TokenType != JsonTokenType.StartObject) return "value is not a JSON object";

        string? orderId = null, customerId = null, currency = null, region = null, channel = null;
        DateTimeOffset? timestamp = null;
        decimal? amount = null;
        var kind = OrderKind.Purchase;
        OrderItem[]? items = null;
        var seen = new SeenFields(Fields);

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = KnownField(ref reader, Utf8Fields);
            if (seen.Repeated(ref reader, field) is { } repeated) return $"duplicate field '{Shorten(repeated)}'";
            if (!reader.Read()) return "value is not valid JSON: it ends inside an object";
            var problem = field switch
            {
                0 => ReadId(ref reader, "orderId", options, out orderId),
                1 => ReadId(ref reader, "customerId", options, out customerId),
                2 => ReadTimestamp(ref reader, out timestamp),
                3 => ReadAmount(ref reader, out amount),
                4 => ReadKind(ref reader, out kind),
                5 => TryReadOptionalString(ref reader, out currency) ? null : "'currency' must be a string",
                6 => TryReadOptionalString(ref reader, out region) ? null : "'region' must be a string",
                7 => TryReadOptionalString(ref reader, out channel) ? null : "'channel' must be a string",
                8 => OrderItemsReader.Read(ref reader, out items),
                _ => Skip(ref reader),
            };
            if (problem is not null) return problem;
        }
        if (reader.TokenType != JsonTokenType.EndObject) return "value is not valid JSON: the object is not closed";
        if (reader.Read()) return "value holds more than one JSON value";

        if (orderId is null) return "required field 'orderId' is missing";
        if (customerId is null) return "required field 'customerId' is missing";
        if (timestamp is null) return "required field 'timestamp' is missing";
        if (amount is null) return "required field 'amount' is missing";
        if (timestamp < OrderValidationOptions.EarliestStorable || timestamp > OrderValidationOptions.LatestStorable)
            return $"'timestamp' {timestamp:O} is outside the range a time series can store (1677-09-22 to 2262-04-11)";
        if (options.NotAfter is { } notAfter && timestamp > notAfter)
            return $"'timestamp' {timestamp:O} is later than the clock allows ({notAfter:O}, Metrics:MaxFutureSkew ahead of now)";
        if (!string.IsNullOrEmpty(options.RequiredCurrency) && currency is not null && currency != options.RequiredCurrency)
            return $"'currency' {Shorten(currency)} differs from the deployment currency {options.RequiredCurrency}";

        order = new OrderEvent(orderId, customerId, timestamp.Value, kind, amount.Value, currency, region, channel,
            items ?? (IReadOnlyList<OrderItem>)[]);
        return null;
    }

    private static string? ReadId(ref Utf8JsonReader reader, string name, OrderValidationOptions options, out string? id)
    {
        id = null;
        if (reader.TokenType != JsonTokenType.String) return $"'{name}' must be a string";
        id = reader.GetString()!;
        if (id.Length == 0) return $"'{name}' is empty";
        if (id.Length > options.MaxIdLength) return $"'{name}' is longer than {options.MaxIdLength} characters";
        return IdProblem(id) is { } problem ? $"'{name}' {problem}" : null;
    }

    private static string? ReadTimestamp(ref Utf8JsonReader reader, out DateTimeOffset? timestamp)
    {
        timestamp = null;
        if (reader.TokenType != JsonTokenType.String) return "'timestamp' must be a string";
        const int longest = 64; // far longer than any RFC 3339 date-time
        if ((reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length) > longest)
            return $"'timestamp' '{Shorten(reader.GetString()!)}' is not an RFC 3339 date-time";
        // The usual form, read without making text of it: what System.Text.Json reads as ISO 8601 and has the shape below
        // is a date-time the exact formats take too, to the same instant and offset. Anything else goes the exact way.
        // System.Text.Json's writers escape the '+' of an offset ("\u002B05:30"), so escaped values are looked at unescaped.
        Span<byte> unescaped = stackalloc byte[longest];
        var plain = reader.ValueIsEscaped ? unescaped[..reader.CopyString(unescaped)] : reader.HasValueSequence ? [] : reader.ValueSpan;
        if (IsPlainRfc3339(plain) && reader.TryGetDateTimeOffset(out var quick))
        {
            timestamp = quick;
            return null;
        }
        Span<char> buffer = stackalloc char[longest];
        var text = buffer[..reader.CopyString(buffer)];
        if (!DateTimeOffset.TryParseExact(text, OffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            return $"'timestamp' '{Shorten(new string(text))}' is not an RFC 3339 date-time";
        // "K" also accepts no offset at all; RFC 3339 requires Z or ±hh:mm.
        if (!(text.EndsWith('Z') || text.EndsWith('z') || HasNumericOffset(text)))
            return $"'timestamp' '{Shorten(new string(text))}' has no UTC offset";
        timestamp = parsed;
        return null;
    }

    /// <summary><c>yyyy-MM-ddTHH:mm:ss</c>, up to seven digits of fraction, then <c>Z</c> or <c>±hh:mm</c>.</summary>
    private static bool IsPlainRfc3339(ReadOnlySpan<byte> text)
    {
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':') return false;
        var rest = text[19..];
        if (rest[0] == '.')
        {
            var digits = 1;
            while (digits < rest.Length && char.IsAsciiDigit((char)rest[digits])) digits++;
            if (digits is 1 or > 8) return false;
            rest = rest[digits..];
        }
        return rest is [(byte)'Z'] || (rest.Length == 6 && rest[0] is (byte)'+' or (byte)'-' && rest[3] == ':');
    }

    private static bool HasNumericOffset(ReadOnlySpan<char> text) =>
        text.Length > 6 && text[^3] == ':' && (text[^6] == '+' || text[^6] == '-');

    private static string? ReadAmount(ref Utf8JsonReader reader, out decimal? amount)
    {
        amount = null;
        if (reader.TokenType != JsonTokenType.Number) return "'amount' must be a number";
        if (!reader.TryGetDecimal(out var value))
            return reader.TryGetDouble(out var approximate) && double.IsFinite(approximate) && Math.Abs(approximate) < 1e-28
                ? StoreAmount(0m, out amount)
                : "'amount' is not a finite number in range";
        return StoreAmount(value, out amount);
    }

    private static string? StoreAmount(decimal value, out decimal? amount)
    {
        amount = null;
        if (value < 0) return $"'amount' {value.ToString(CultureInfo.InvariantCulture)} is negative";
        if (value > MaxAmount) return "'amount' is over 1e9";
        amount = value;
        return null;
    }

    private static string? ReadKind(ref Utf8JsonReader reader, out OrderKind kind)
    {
        kind = OrderKind.Purchase;
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.String) return "'kind' must be a string";
        if (reader.ValueTextEquals("purchase"u8)) return null;
        if (reader.ValueTextEquals("return"u8))
        {
            kind = OrderKind.Return;
            return null;
        }
        return $"'kind' '{Shorten(reader.GetString()!)}' must be purchase or return";
    }

    /// <summary>A string or null; false for any other value. The caller names the field in its message only then, so a valid order costs no message.</summary>
    internal static bool TryReadOptionalString(ref Utf8JsonReader reader, out string? text)
    {
        text = null;
        if (reader.TokenType == JsonTokenType.Null) return true;
        if (reader.TokenType != JsonTokenType.String) return false;
        text = RepeatedText.Read(ref reader);
        return true;
    }

    /// <summary>The index of the current property name in <paramref name="names"/>, or -1; compares bytes, so a known name costs no string.</summary>
    internal static int KnownField(ref Utf8JsonReader reader, byte[][] names)
    {
        for (var i = 0; i < names.Length; i++)
            if (reader.ValueTextEquals(names[i])) return i;
        return -1;
    }

    internal static string? Skip(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }

    /// <summary>
    /// Ids become tag values: control characters, and a backslash before a separator or at the end, cannot
    /// be carried by line protocol, so such an id is refused here rather than its points lost later.
    /// </summary>
    internal static string? IdProblem(string id)
    {
        // Two ids an order, so searched in vector steps rather than char by char.
        if (id.AsSpan().IndexOfAny(ControlCharacters) is var control and >= 0) return $"holds a control character (U+{(int)id[control]:X4})";
        for (var i = id.IndexOf('\\'); i >= 0; i = id.IndexOf('\\', i + 1))
            if (i == id.Length - 1 || id[i + 1] is ',' or ' ' or '=' or '\\') return "has a backslash before a comma, space, equals sign or backslash, or at its end";
        return null;
    }

    // What char.IsControl says yes to: C0, DEL and C1.
    private static readonly SearchValues<char> ControlCharacters =
        SearchValues.Create([.. Enumerable.Range(0, 0x20).Select(c => (char)c), .. Enumerable.Range(0x7F, 0x21).Select(c => (char)c)]);

    internal static string Shorten(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 61), "...");
}
