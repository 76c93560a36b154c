using System.CommandLine;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using StreamMetrics.Kafka;
using StreamMetrics.Kafka.Cluster;
using StreamMetrics.Kafka.Logging;
using StreamMetrics.Worker.Hosting;
using StreamMetrics.Worker.Options;
using StreamMetrics.Worker.Pipeline;

namespace StreamMetrics.Worker.Cli;

/// <summary>Options every verb takes, and the start-up every verb shares: configuration in, one clear line out on error.</summary>
public static partial class GlobalOptions
{
    public static readonly Option<string[]> Set = new("--set")
    {
        Description = "Override a configuration key, e.g. --set Influx:Url=http://127.0.0.1:8086 (repeatable; wins over appsettings.json and STREAMMETRICS__* variables)",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public static IConfigurationRoot Configuration(ParseResult parse) => SettingsLoader.Build(parse.GetValue(Set) ?? []);

    /// <summary>
    /// Runs a verb and turns what stops it into the exit-code contract (<see cref="ExitCodes"/>), in one line
    /// without a stack trace: bad usage or configuration 2 (an unusable topic too), Kafka, a topic to read that does not exist yet or a stage of the worker failing 1.
    /// </summary>
    public static async Task<int> Guard(Func<Task<int>> verb)
    {
        try
        {
            return await verb();
        }
        catch (SettingsException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return ExitCodes.Usage;
        }
        catch (TopicSetupException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is KafkaUnreachableException or TopicMissingException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return ExitCodes.Failed;
        }
        catch (KafkaException e)
        {
            await Console.Error.WriteLineAsync($"Kafka failed: {KafkaClientLog.Describe(e.Error)}");
            return ExitCodes.Failed;
        }
        catch (StageFailedException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return ExitCodes.Failed;
        }
    }

    public static WorkerSettings Load(IConfiguration configuration, bool needsKafka = true) => SettingsLoader.Load(configuration, needsKafka);

    /// <summary>For verbs without a host: librdkafka's log goes through a logger built from the configuration. Dispose it last, so that every line is written.</summary>
    public static ILoggerFactory KafkaLogging(IConfiguration configuration)
    {
        var loggers = WorkerHost.CreateLoggerFactory(configuration);
        KafkaClientLog.Use(loggers);
        return loggers;
    }

    /// <summary>Fails a bounded verb early, in one line naming the bootstrap servers, when Kafka does not answer (<see cref="KafkaUnreachableException"/>).</summary>
    public static IReadOnlySet<string> EnsureKafkaAnswers(WorkerSettings settings) =>
        ClusterProbe.Topics(settings.Kafka.ClientSettings, ClusterProbe.AnswerTimeout);

    public static Option<TimeSpan?> DurationOption(string name, string description, TimeSpan? defaultValue = null) => new(name)
    {
        Description = $"{description} ({DurationParser.Forms})",
        HelpName = "duration",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (DurationParser.TryParse(text, out var duration, out var problem)) return duration;
            result.AddError($"{name} '{text}' {problem}");
            return null;
        },
    };

    /// <summary>An instant in ISO 8601: a date, or a date and time with an optional offset; UTC unless it carries one.</summary>
    public static Option<DateTimeOffset?> InstantOption(string name, string description) => new(name)
    {
        Description = $"{description}: a date or date-time, UTC unless an offset is given, e.g. 2011-12-10, 2011-12-10T08:00:00Z or 2011-12-10T09:00:00+01:00",
        HelpName = "instant",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (IsoInstant().IsMatch(text) && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var instant))
                return instant;
            result.AddError($"{name} '{text}' is not a date or date-time such as 2011-12-10 or 2011-12-10T08:00:00Z");
            return null;
        },
    };

    // Only ISO 8601: "12/10/2011" would parse too, as 10 December or 12 October depending on who reads it.
    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")]
    private static partial System.Text.RegularExpressions.Regex IsoInstant();
}
