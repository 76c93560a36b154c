namespace StreamMetrics.Kafka.Producers;

/// <summary>A record that broke the order contract: where it came from, its original bytes and why.</summary>
public sealed record DeadLetter(string SourceTopic, int SourcePartition, long SourceOffset, byte[]? Key, byte[]? Value, string Error);
