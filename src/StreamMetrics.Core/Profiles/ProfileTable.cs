using System.Collections.Concurrent;

namespace StreamMetrics.Core.Profiles;

/// <summary>
/// The newest profile of every customer, reduced to the segment attributes of interest
/// (<c>Segments:Attributes</c>): what an evaluation puts each customer in for each attribute scheme.
/// </summary>
/// <remarks>
/// One writer (whoever reads the profiles topic) and many readers (the partitions evaluating their
/// customers). The values of a profile are interned: a million customers share the few combinations of
/// age band, gender and income band, so a profile costs its dictionary entry and nothing more.
/// </remarks>
public sealed class ProfileTable
{
    /// <summary>The segment of a customer without a profile, or whose profile lacks the attribute.</summary>
    public const string Unknown = "unknown";

    private readonly ConcurrentDictionary<string, string[]> _profiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _combinations = new(StringComparer.Ordinal);
    private readonly string[] _unknown;

    public ProfileTable(IReadOnlyList<string> attributes)
    {
        Attributes = attributes;
        _unknown = [.. attributes.Select(_ => Unknown)];
    }

    /// <summary>A table with no attribute schemes: every customer's profile is ignored.</summary>
    public static ProfileTable None { get; } = new([]);

    /// <summary>The attributes that are segment schemes, in the order of <see cref="SegmentsOf"/>.</summary>
    public IReadOnlyList<string> Attributes { get; }

    public int Count => _profiles.Count;

    /// <summary>The customer's segment in each attribute scheme, <see cref="Unknown"/> where its newest profile says nothing.</summary>
    public IReadOnlyList<string> SegmentsOf(string customerId) => _profiles.GetValueOrDefault(customerId, _unknown);

    /// <summary>Takes a readable record: a profile replaces the customer's previous one, a tombstone removes it.</summary>
    public void Apply(ProfileRecord record)
    {
        if (record.Error is not null || record.CustomerId is not { } customerId)
            throw new ArgumentException("only readable profile records can be applied", nameof(record));
        if (Attributes.Count == 0) return;
        if (record.Attributes is not { } attributes)
        {
            _profiles.TryRemove(customerId, out _);
            return;
        }
        var segments = new string[Attributes.Count];
        for (var i = 0; i < segments.Length; i++)
            segments[i] = attributes.TryGetValue(Attributes[i], out var value) && !string.IsNullOrWhiteSpace(value) ? value : Unknown;
        _profiles[customerId] = Intern(segments);
    }

    private string[] Intern(string[] segments)
    {
        var key = string.Join('\u001f', segments);
        if (_combinations.TryGetValue(key, out var shared)) return shared;
        _combinations.Add(key, segments);
        return segments;
    }
}
