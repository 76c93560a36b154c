using System.Text.Json;

namespace StreamMetrics.Core.Profiles;

/// <summary>Writes a profile in the wire format <see cref="ProfileParser"/> reads.</summary>
public static class ProfileJson
{
    public static byte[] Serialize(string customerId, IReadOnlyDictionary<string, string> attributes)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("customerId", customerId);
            json.WriteStartObject("attributes");
            foreach (var (name, value) in attributes) json.WriteString(name, value);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
