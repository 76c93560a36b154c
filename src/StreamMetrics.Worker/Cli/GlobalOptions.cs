using System.CommandLine;
using Microsoft.Extensions.Configuration;
using StreamMetrics.Worker.Hosting;
using StreamMetrics.Worker.Options;

namespace StreamMetrics.Worker.Cli;

/// <summary>Options every verb takes, and the start-up every verb shares: configuration in, one clear line out on error.</summary>
public static class GlobalOptions
{
    public static readonly Option<string[]> Set = new("--set")
    {
        Description = "Override a configuration key, e.g. --set Influx:Url=http://127.0.0.1:8086 (repeatable; wins over appsettings.json and STREAMMETRICS__* variables)",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public static IConfigurationRoot Configuration(ParseResult parse) => SettingsLoader.Build(parse.GetValue(Set) ?? []);

    /// <summary>Runs a verb; a configuration problem becomes exit code 2 and one line per problem, without a stack trace.</summary>
    public static async Task<int> Guard(Func<Task<int>> verb)
    {
        try
        {
            return await verb();
        }
        catch (SettingsException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
    }

    public static WorkerSettings Load(IConfiguration configuration, bool needsKafka = true) => SettingsLoader.Load(configuration, needsKafka);

    public static Option<TimeSpan?> DurationOption(string name, string description, TimeSpan? defaultValue = null) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (DurationParser.TryParse(text, out var duration)) return duration;
            result.AddError($"{name} '{text}' is not a duration such as 30s, 5m, 2h or 00:01:00");
            return null;
        },
    };

    public static Option<DateTimeOffset?> InstantOption(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var instant))
                return instant;
            result.AddError($"{name} '{text}' is not a date-time such as 2011-12-10T00:00:00Z");
            return null;
        },
    };
}
