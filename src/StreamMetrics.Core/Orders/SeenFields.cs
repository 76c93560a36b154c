using System.Text.Json;

namespace StreamMetrics.Core.Orders;

/// <summary>The fields of one JSON object read so far, to refuse a repeated one: known fields by bit, others by name.</summary>
internal struct SeenFields(string[] known)
{
    private int _known;
    private HashSet<string>? _others;

    /// <summary>The name of the current property when it was seen before in this object, else null.</summary>
    /// <param name="field">Its index among the known fields, or -1.</param>
    public string? Repeated(ref Utf8JsonReader reader, int field)
    {
        if (field >= 0)
        {
            var bit = 1 << field;
            if ((_known & bit) != 0) return known[field];
            _known |= bit;
            return null;
        }
        var name = reader.GetString()!;
        return (_others ??= new HashSet<string>(StringComparer.Ordinal)).Add(name) ? null : name;
    }
}
