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

    // Kept with the set: getting the lookup checks the comparer's type every time (measured: 3 % of the worker's CPU).
    [ThreadStatic]
    private static HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    /// <summary>The reader's current string value.</summary>
    public static string Read(ref Utf8JsonReader reader)
    {
        var bytes = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (bytes > MaxBytes) return reader.GetString()!;
        // UTF-8 never needs fewer bytes than UTF-16 needs chars, so the escaped bytes bound the chars.
        Span<char> buffer = stackalloc char[MaxBytes];
        var value = buffer[..reader.CopyString(buffer)];
        if (_known is null)
        {
            _known = new HashSet<string>(StringComparer.Ordinal);
            _lookup = _known.GetAlternateLookup<ReadOnlySpan<char>>();
        }
        if (_lookup.TryGetValue(value, out var text)) return text;
        text = new string(value);
        if (_known.Count < MaxEntries) _known.Add(text);
        return text;
    }
}
