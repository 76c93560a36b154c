using Confluent.Kafka;
using StreamMetrics.Kafka.Logging;

namespace StreamMetrics.Kafka.Cluster;

/// <summary>
/// Asks a cluster for its metadata before any work, to learn whether it answers and which topics it has.
/// It asks for every topic, never for one by name: on a broker that auto-creates topics, asking for a
/// topic by name creates it.
/// </summary>
public static class ClusterProbe
{
    /// <summary>How long a verb waits for a first answer before it calls the cluster unreachable.</summary>
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The names of the cluster's topics; throws <see cref="KafkaUnreachableException"/> when no broker answers within <paramref name="timeout"/>.</summary>
    public static IReadOnlySet<string> Topics(KafkaClientSettings kafka, TimeSpan timeout)
    {
        var bootstrapServers = kafka.BootstrapServers;
        string? lastProblem = null;
        using var admin = new AdminClientBuilder(kafka.Admin())
            .SetLogHandler((_, message) =>
            {
                if (message.Level <= SyslogLevel.Error) lastProblem = message.Message;
                KafkaClientLog.Forward(bootstrapServers, message);
            })
            .SetErrorHandler((_, error) =>
            {
                lastProblem = error.Reason;
                KafkaClientLog.Forward(bootstrapServers, error);
            })
            .Build();
        try
        {
            return admin.GetMetadata(timeout).Topics.Where(t => !t.Error.IsError).Select(t => t.Topic).ToHashSet(StringComparer.Ordinal);
        }
        catch (KafkaException e) when (KafkaClientLog.MeansUnreachable(e.Error.Code))
        {
            throw new KafkaUnreachableException(kafka.ShownServers, timeout, KafkaClientLog.Shown(lastProblem ?? e.Error.Reason));
        }
    }
}
