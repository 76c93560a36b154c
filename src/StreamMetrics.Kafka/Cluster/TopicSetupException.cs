namespace StreamMetrics.Kafka.Cluster;

/// <summary>
/// A topic the worker needs is missing, or set up so that the worker cannot keep its promises with it (a state
/// topic that is not compacted, too few partitions). The message names the topic and what to do; it fails the
/// same way until someone fixes the topic or the setting.
/// </summary>
public sealed class TopicSetupException(string message) : Exception(message);
