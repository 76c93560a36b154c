using System.Reflection;

namespace StreamMetrics.Worker.Hosting;

/// <summary>
/// The configuration keys StreamMetrics knows, read from the settable properties of its options classes, so
/// that a key nobody reads (a typo such as <c>Influx:Databse</c>) is caught instead of silently ignored.
/// </summary>
public sealed class SettingsKeys
{
    // Sections that take any key: librdkafka's properties, and Microsoft.Extensions.Logging's own section.
    private static readonly string[] ForeignSections = ["Logging"];

    private readonly Dictionary<string, Type> _leaves = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _sections = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _openSections = [.. ForeignSections];

    private SettingsKeys(Type settings) => Collect(settings, "");

    public static SettingsKeys Of<TSettings>() => new(typeof(TSettings));

    /// <summary>Every key that holds one value, with its type.</summary>
    public IReadOnlyDictionary<string, Type> Leaves => _leaves;

    public bool IsKnown(string key) =>
        _leaves.ContainsKey(key) || _sections.Contains(key) || _openSections.Any(open => key.Equals(open, StringComparison.OrdinalIgnoreCase)
            || key.StartsWith(open + ":", StringComparison.OrdinalIgnoreCase));

    /// <summary>The known key closest in spelling, case aside; under an open section (Kafka:Consumer) the rest of the key is kept.</summary>
    public (string Key, int Distance) Nearest(string key)
    {
        var segments = key.Split(':');
        var candidates = _leaves.Keys.Concat(_openSections.Where(open => open.Contains(':'))
            .Select(open => string.Join(':', [open, .. segments.Skip(open.Split(':').Length)])));
        return candidates.Select(candidate => (candidate, Distance(key.ToLowerInvariant(), candidate.ToLowerInvariant())))
            .OrderBy(c => c.Item2).ThenBy(c => c.candidate, StringComparer.Ordinal).First();
    }

    private void Collect(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true))
        {
            var key = prefix.Length == 0 ? property.Name : $"{prefix}:{property.Name}";
            var propertyType = property.PropertyType;
            if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                _openSections.Add(key);
            }
            else if (propertyType.IsClass && propertyType != typeof(string))
            {
                _sections.Add(key);
                Collect(propertyType, key);
            }
            else _leaves[key] = propertyType;
        }
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
