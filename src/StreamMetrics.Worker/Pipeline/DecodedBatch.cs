using StreamMetrics.Kafka.Producers;
using StreamMetrics.Worker.Actors.Messages;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>A record batch split into valid orders for the partition actor and dead letters for bad records.</summary>
public sealed record DecodedBatch(int Partition, ProcessOrders Command, IReadOnlyList<DeadLetter> DeadLetters);
