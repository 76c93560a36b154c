namespace StreamMetrics.Kafka.Cluster;

/// <summary>
/// A topic the worker reads does not exist yet. Unlike a <see cref="TopicSetupException"/>, nothing in the worker's
/// settings need change: creating the topic, or a producer that creates it, fixes it, so trying again later may work.
/// </summary>
public sealed class TopicMissingException(string message) : Exception(message);
