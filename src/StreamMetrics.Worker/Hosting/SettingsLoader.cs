using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using StreamMetrics.Worker.Options;

namespace StreamMetrics.Worker.Hosting;

/// <summary>
/// Reads configuration in DESIGN §6 order (appsettings.json, then <c>STREAMMETRICS__</c> environment
/// variables, then <c>--set Key=Value</c> options) and binds it to <see cref="WorkerSettings"/>.
/// </summary>
public static partial class SettingsLoader
{
    public const string EnvironmentPrefix = "STREAMMETRICS__";

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

    /// <summary>Binds and validates; throws <see cref="SettingsException"/> with one line per problem.</summary>
    public static WorkerSettings Load(IConfiguration configuration, bool needsKafka = true)
    {
        var settings = new WorkerSettings();
        try
        {
            configuration.Bind(settings);
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

    private static bool IsSecret(string key) =>
        key.EndsWith("Token", StringComparison.OrdinalIgnoreCase) || key.EndsWith("Password", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex ConversionFailure();
}
