using Akka.Streams.Dsl;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace StreamMetrics.Kafka.Source;

/// <summary>Creates the Kafka source: one consumer, partition-aware batches, commits under the caller's control.</summary>
public static class KafkaSource
{
    public static Source<SourceEvent, IKafkaSourceControl> Create(KafkaSourceSettings settings, ILogger? logger = null) =>
        Akka.Streams.Dsl.Source.FromGraph(new KafkaSourceStage(settings, logger ?? NullLogger.Instance));
}
