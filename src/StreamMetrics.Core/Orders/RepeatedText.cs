using System.Text.Json;

namespace StreamMetrics.Core.Orders;

/// <summary>
/// Regions, channels, currencies, categories and SKUs repeat across millions of orders: each distinct
/// text is allocated once per thread (up to a bound) and then handed out again, so that parsing does not
/// allocate it and the windows that keep orders do not hold a copy per order.
/// </summary>
internal static class RepeatedText
{
    private const int MaxEntries = 10_000;
    private const int MaxBytes = 128;

    [ThreadStatic]
    private static HashSet<string>? _known;

    /// <summary>The reader's current string value.</summary>
    public static string Read(ref Utf8JsonReader reader)
    {
        var bytes = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (bytes > MaxBytes) return reader.GetString()!;
        // UTF-8 never needs fewer bytes than UTF-16 needs chars, so the escaped bytes bound the chars.
        Span<char> buffer = stackalloc char[MaxBytes];
        var value = buffer[..reader.CopyString(buffer)];
        var known = _known ??= new HashSet<string>(StringComparer.Ordinal);
        if (known.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(value, out var text)) return text;
        text = new string(value);
        if (known.Count < MaxEntries) known.Add(text);
        return text;
    }
}
