using StreamMetrics.Kafka.Producers;
using StreamMetrics.Worker.Actors.Messages;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>A record batch split into commands of valid orders for the partition actor, in offset order, and dead letters for bad records.</summary>
public sealed record DecodedBatch(int Partition, IReadOnlyList<ProcessOrders> Commands, IReadOnlyList<DeadLetter> DeadLetters);
