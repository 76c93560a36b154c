using System.Text.Json;

namespace StreamMetrics.Core.Orders;

/// <summary>
/// The valid customer ids the thread has read lately, each handed out again for the customer's next orders: a customer
/// orders again and again, and a new string of its id was one of the largest items of what the worker allocated an order.
/// </summary>
/// <remarks>
/// Unlike <see cref="RepeatedText"/>, whose few thousand texts are all there is, customers come and go: once full, the set
/// starts over, and the customers ordering now are the first back in. A string kept here and nowhere else (a customer
/// forgotten since) lives until then.
/// </remarks>
internal static class KnownCustomerIds
{
    private const int MaxEntries = 65_536; // a few MiB a thread
    private const int MaxChars = 128;

    [ThreadStatic]
    private static HashSet<string>? t_known;

    // Kept with the set: getting the lookup checks the comparer's type every time.
    [ThreadStatic]
    private static HashSet<string>.AlternateLookup<ReadOnlySpan<char>> t_lookup;

    /// <summary>The reader's current string, when it is an id read before on this thread.</summary>
    public static string? Find(ref Utf8JsonReader reader)
    {
        if (t_known is null || (reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length) > MaxChars) return null;
        // UTF-8 never needs fewer bytes than UTF-16 needs chars, so the escaped bytes bound the chars.
        Span<char> buffer = stackalloc char[MaxChars];
        return t_lookup.TryGetValue(buffer[..reader.CopyString(buffer)], out var id) ? id : null;
    }

    /// <summary>Keeps an id that passed every check of an id, for the customer's next orders.</summary>
    public static void Add(string id)
    {
        if (id.Length > MaxChars) return;
        if (t_known is null)
        {
            t_known = new HashSet<string>(StringComparer.Ordinal);
            t_lookup = t_known.GetAlternateLookup<ReadOnlySpan<char>>();
        }
        if (t_known.Count == MaxEntries) t_known.Clear();
        t_known.Add(id);
    }
}
