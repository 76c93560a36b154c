using StreamMetrics.Kafka.Producers;
using StreamMetrics.Worker.Actors.Messages;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>A partition's output with the dead letters of the same records.</summary>
public sealed record PartitionStep(PartitionOutput Output, IReadOnlyList<DeadLetter> DeadLetters);
