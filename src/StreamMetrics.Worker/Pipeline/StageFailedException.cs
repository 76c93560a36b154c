using Confluent.Kafka;
using StreamMetrics.Kafka.Logging;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>
/// A stage of the worker failed, and with it the run (exit 1): its message is the one line that names the stage and
/// why, e.g. <c>demand pipeline failed: …</c>. Stages nest: <c>orders pipeline failed: catching up failed: …</c>.
/// </summary>
public sealed class StageFailedException(string stage, Exception cause) : Exception($"{stage} failed: {Describe(cause)}", cause)
{
    public string Stage { get; } = stage;

    public string Reason { get; } = Describe(cause);

    /// <summary>Why, in words: a Kafka error without librdkafka's client name, a task's one failure unwrapped.</summary>
    private static string Describe(Exception cause) => cause switch
    {
        AggregateException { InnerExceptions: [var single] } => Describe(single),
        KafkaException kafka => $"Kafka: {KafkaClientLog.Describe(kafka.Error)}",
        _ => cause.Message,
    };
}
