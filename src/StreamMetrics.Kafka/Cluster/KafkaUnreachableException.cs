namespace StreamMetrics.Kafka.Cluster;

/// <summary>No broker of <see cref="BootstrapServers"/> (as shown: without credentials) answered: refused, unresolvable or silent.</summary>
public sealed class KafkaUnreachableException(string bootstrapServers, TimeSpan waited, string reason)
    : Exception($"Kafka at {bootstrapServers} did not answer within {waited.TotalSeconds:F0} s ({reason}); check Kafka:BootstrapServers and that the brokers run")
{
    public string BootstrapServers { get; } = bootstrapServers;

    public string Reason { get; } = reason;
}
