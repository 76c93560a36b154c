using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Memory;
using StreamMetrics.Worker.Options;

namespace StreamMetrics.Worker.Hosting;

/// <summary>
/// Reads configuration in DESIGN §6 order (appsettings.json, then <c>STREAMMETRICS__</c> environment
/// variables, then <c>--set Key=Value</c> options) and binds it to <see cref="WorkerSettings"/>.
/// </summary>
public static partial class SettingsLoader
{
    public const string EnvironmentPrefix = "STREAMMETRICS__";

    private static readonly SettingsKeys Keys = SettingsKeys.Of<WorkerSettings>();

    public static IConfigurationRoot Build(IEnumerable<string> overrides, string? baseDirectory = null)
    {
        var pairs = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in overrides)
        {
            var equals = entry.IndexOf('=');
            if (equals <= 0) throw new SettingsException($"--set '{entry}' must have the form Key=Value, e.g. Influx:Url=http://127.0.0.1:8086");
            pairs[entry[..equals].Trim()] = entry[(equals + 1)..];
        }
        return new ConfigurationBuilder()
            .SetBasePath(baseDirectory ?? AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddInMemoryCollection(pairs)
            .Build();
    }

    /// <summary>Checks the keys and durations, binds and validates; throws <see cref="SettingsException"/> with one line per problem.</summary>
    public static WorkerSettings Load(IConfiguration configuration, bool needsKafka = true)
    {
        // An unknown key is reported alone: what it was meant to set would only show up as a second, misleading problem.
        var unknown = UnknownKeys(configuration);
        if (unknown.Count > 0) throw new SettingsException(string.Join(Environment.NewLine, unknown));
        var (durations, durationErrors) = Durations(configuration);
        if (durationErrors.Count > 0) throw new SettingsException(string.Join(Environment.NewLine, durationErrors));

        var settings = new WorkerSettings();
        // A snapshot, not a chained configuration: a chain reads an empty value (Http:Listen= turns the listener off) as no value.
        var values = configuration.AsEnumerable().Where(pair => pair.Value is not null).ToDictionary(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in durations) values[key] = value;
        var normalized = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        try
        {
            normalized.Bind(settings);
        }
        catch (InvalidOperationException e) when (ConversionFailure().Match(e.Message) is { Success: true } match)
        {
            var key = match.Groups["key"].Value;
            var shown = IsSecret(key) ? "(hidden)" : $"'{configuration[key]}'";
            throw new SettingsException($"{key} {shown} is not a valid {match.Groups["type"].Value.Split('.')[^1]}");
        }
        var errors = SettingsValidator.Validate(settings, needsKafka);
        if (errors.Count > 0) throw new SettingsException(string.Join(Environment.NewLine, errors));
        return settings;
    }

    /// <summary>One line per key that no option reads, naming where it came from and the known key nearest to it; values are never shown.</summary>
    private static List<string> UnknownKeys(IConfiguration configuration) =>
    [
        .. configuration.AsEnumerable().Where(pair => pair.Value is not null && !Keys.IsKnown(pair.Key)).Select(pair => pair.Key).Order(StringComparer.Ordinal)
            .Select(key =>
            {
                var (nearest, distance) = Keys.Nearest(key);
                var hint = distance <= Math.Max(2, Math.Max(key.Length, nearest.Length) / 3) ? $"did you mean {nearest}?" : $"the nearest known key is {nearest}";
                return $"{key} (from {Origin(configuration, key)}) is not a known key; {hint}";
            }),
    ];

    /// <summary>Every duration in the one syntax of <see cref="DurationParser"/>, rewritten in the form the binder reads.</summary>
    private static (Dictionary<string, string?> Normalized, List<string> Errors) Durations(IConfiguration configuration)
    {
        var (normalized, errors) = (new Dictionary<string, string?>(), new List<string>());
        foreach (var (key, type) in Keys.Leaves.Where(leaf => leaf.Value == typeof(TimeSpan) || leaf.Value == typeof(TimeSpan?)))
        {
            if (configuration[key] is not { } text || (text.Length == 0 && type == typeof(TimeSpan?))) continue;
            if (DurationParser.TryParse(text, out var duration, out var problem)) normalized[key] = duration.ToString("c", CultureInfo.InvariantCulture);
            else errors.Add($"{key} '{text}' {problem}");
        }
        return (normalized, errors);
    }

    /// <summary>Which source set a key: the last one that has it wins, as in the configuration itself.</summary>
    private static string Origin(IConfiguration configuration, string key)
    {
        if (configuration is not IConfigurationRoot root) return "the configuration";
        var provider = root.Providers.Reverse().FirstOrDefault(p => p.TryGet(key, out _));
        return provider switch
        {
            MemoryConfigurationProvider => "--set",
            EnvironmentVariablesConfigurationProvider => EnvironmentPrefix + key.Replace(":", "__", StringComparison.Ordinal),
            FileConfigurationProvider file => file.Source.Path ?? "a file",
            _ => "the configuration",
        };
    }

    private static bool IsSecret(string key) =>
        key.EndsWith("Token", StringComparison.OrdinalIgnoreCase) || key.EndsWith("Password", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex ConversionFailure();
}
