using System.Text;
using System.Text.Json;
using StreamMetrics.Core.Orders;

namespace StreamMetrics.Core.Profiles;

/// <summary>
/// Reads a record of the profiles topic: key = customerId, value =
/// <c>{"customerId": "…", "attributes": {"age_band": "25-34", …}}</c> with string attribute values;
/// other fields are ignored, and a record without a value (a tombstone) removes the customer's profile.
/// Says in one sentence why a record is not a profile; never throws.
/// </summary>
public static class ProfileParser
{
    public const int MaxValueBytes = 64 * 1024;

    public const int MaxValueLength = 64;

    /// <summary>The customer and its attributes (null for a tombstone), or why the record is unreadable.</summary>
    public static ProfileRecord Parse(ReadOnlySpan<byte> key, byte[]? value)
    {
        if (key.IsEmpty) return ProfileRecord.Bad("record has no key; the key must be the customerId");
        string customerId;
        try
        {
            customerId = new UTF8Encoding(false, true).GetString(key);
        }
        catch (DecoderFallbackException)
        {
            return ProfileRecord.Bad("record key is not valid UTF-8");
        }
        if (value is null) return new ProfileRecord(customerId, null, null);
        if (value.Length > MaxValueBytes) return ProfileRecord.Bad($"value is {value.Length} bytes, over the {MaxValueBytes}-byte limit", customerId);
        try
        {
            using var document = JsonDocument.Parse(value, new JsonDocumentOptions { MaxDepth = 8 });
            return Read(document.RootElement, customerId);
        }
        catch (JsonException e)
        {
            return ProfileRecord.Bad($"value is not valid JSON: {e.Message}", customerId);
        }
    }

    private static ProfileRecord Read(JsonElement root, string customerId)
    {
        if (root.ValueKind != JsonValueKind.Object) return ProfileRecord.Bad("value is not a JSON object", customerId);
        if (!root.TryGetProperty("customerId", out var id) || id.ValueKind != JsonValueKind.String)
            return ProfileRecord.Bad("field 'customerId' is missing or not a string", customerId);
        if (id.GetString() != customerId)
            return ProfileRecord.Bad($"record key '{customerId}' differs from customerId '{id.GetString()}'", customerId);
        if (!root.TryGetProperty("attributes", out var attributes) || attributes.ValueKind != JsonValueKind.Object)
            return ProfileRecord.Bad("field 'attributes' is missing or not a JSON object", customerId);

        var read = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in attributes.EnumerateObject())
        {
            if (attribute.Value.ValueKind != JsonValueKind.String)
                return ProfileRecord.Bad($"attribute '{attribute.Name}' is {attribute.Value.ValueKind.ToString().ToLowerInvariant()}, not a string", customerId);
            var text = attribute.Value.GetString()!;
            // Values become segment tags: a long one is an id, not a segment, and would make a series per customer.
            if (text.Length > MaxValueLength)
                return ProfileRecord.Bad($"attribute '{attribute.Name}' is {text.Length} characters long, over the {MaxValueLength}-character limit of a segment", customerId);
            if (OrderParser.IdProblem(text) is { } problem) return ProfileRecord.Bad($"attribute '{attribute.Name}' {problem}", customerId);
            if (!read.TryAdd(attribute.Name, text))
                return ProfileRecord.Bad($"attribute '{attribute.Name}' appears twice", customerId);
        }
        return new ProfileRecord(customerId, read, null);
    }
}

/// <summary>One record of the profiles topic, read: a profile, a tombstone (<see cref="Attributes"/> null), or an <see cref="Error"/>.</summary>
public sealed record ProfileRecord(string? CustomerId, IReadOnlyDictionary<string, string>? Attributes, string? Error)
{
    public static ProfileRecord Bad(string error, string? customerId = null) => new(customerId, null, error);
}
