using System.Text.RegularExpressions;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StreamMetrics.Core.Redaction;

namespace StreamMetrics.Kafka.Logging;

/// <summary>
/// Routes the log and the errors of every librdkafka client through our <see cref="ILogger"/>, deduplicated:
/// without it librdkafka writes each failed connection attempt to standard error, hundreds of lines a minute.
/// </summary>
/// <remarks>
/// Process-wide, like librdkafka's own log: clients are built in many places (producers, admin clients,
/// the source stage), and each only has to call <c>WithOurLog</c> on its builder. Every message that means
/// "the cluster cannot be reached" is one kind per bootstrap servers, so that however many clients fail
/// together, one line every 30 s says so.
/// </remarks>
public static partial class KafkaClientLog
{
    private static readonly RepeatFilter Repeats = new(TimeSpan.FromSeconds(30), TimeProvider.System);
    private static ILogger _log = NullLogger.Instance;

    /// <summary>Where the lines go from now on; until called, nowhere.</summary>
    public static void Use(ILoggerFactory loggers) => _log = loggers.CreateLogger("StreamMetrics.Kafka");

    public static ProducerBuilder<TKey, TValue> WithOurLog<TKey, TValue>(this ProducerBuilder<TKey, TValue> builder, string bootstrapServers) =>
        builder.SetLogHandler((_, message) => Forward(bootstrapServers, message)).SetErrorHandler((_, error) => Forward(bootstrapServers, error));

    public static ConsumerBuilder<TKey, TValue> WithOurLog<TKey, TValue>(this ConsumerBuilder<TKey, TValue> builder, string bootstrapServers) =>
        builder.SetLogHandler((_, message) => Forward(bootstrapServers, message)).SetErrorHandler((_, error) => Forward(bootstrapServers, error));

    public static AdminClientBuilder WithOurLog(this AdminClientBuilder builder, string bootstrapServers) =>
        builder.SetLogHandler((_, message) => Forward(bootstrapServers, message)).SetErrorHandler((_, error) => Forward(bootstrapServers, error));

    /// <summary>True for the errors that mean no broker answers: refused, unresolvable, timed out, all down.</summary>
    public static bool MeansUnreachable(ErrorCode code) =>
        code is ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown or ErrorCode.Local_Resolve or ErrorCode.Local_TimedOut;

    internal static void Forward(string bootstrapServers, LogMessage message)
    {
        // librdkafka's debug and informational chatter stays at debug level, undeduplicated, for whoever turns it on.
        if (message.Level > SyslogLevel.Warning)
        {
            _log.LogDebug("librdkafka {Facility}: {Message}", message.Facility, Shown(message.Message));
            return;
        }
        var unreachable = message.Facility == "FAIL" || message.Message.Contains("brokers are down", StringComparison.Ordinal);
        Report(bootstrapServers, message.Message, unreachable, message.Level <= SyslogLevel.Error && !unreachable ? LogLevel.Error : LogLevel.Warning);
    }

    internal static void Forward(string bootstrapServers, Error error) =>
        Report(bootstrapServers, error.Reason, MeansUnreachable(error.Code), error.IsFatal ? LogLevel.Error : LogLevel.Warning);

    private static void Report(string bootstrapServers, string text, bool unreachable, LogLevel level)
    {
        var servers = UrlRedaction.Redact(bootstrapServers);
        var reason = Shown(text);
        var kind = unreachable ? $"unreachable {servers}" : Digits().Replace(reason, "#");
        if (!Repeats.ShouldLog(kind, out var heldBack)) return;
        var repeats = heldBack > 0 ? $" ({heldBack} more like it in the last {Repeats.Window.TotalSeconds:F0} s)" : "";
        if (unreachable)
            _log.Log(level, "Kafka at {BootstrapServers} cannot be reached: {Reason}{Repeats}", servers, reason, repeats);
        else
            _log.Log(level, "Kafka client: {Reason}{Repeats}", reason, repeats);
    }

    /// <summary>
    /// A librdkafka message as we show it: without the names of the client instance and thread that logged it, and
    /// without credentials, since librdkafka quotes the addresses it was given as they were written.
    /// </summary>
    public static string Shown(string text) => UrlRedaction.Redact(ClientName().Replace(text, ""));

    /// <summary>An error as one line for a person: its reason without the client's name, then its code.</summary>
    public static string Describe(Error error) => $"{Shown(error.Reason)} ({error.Code})";

    // "rdkafka#producer-3: " names the client instance and "[thrd:…]: " its thread, which differ between otherwise identical messages.
    [GeneratedRegex(@"rdkafka#\w+-\d+: |\[thrd:[^\]]*\]: ")]
    private static partial Regex ClientName();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
