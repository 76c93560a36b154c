using StreamMetrics.Kafka.Cluster;

namespace StreamMetrics.Kafka.Tests.Cluster;

[Collection(nameof(KafkaCollection))]
public sealed class ClusterProbeTests(KafkaFixture kafka)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public void A_cluster_that_answers_lists_its_topics_and_asking_creates_none()
    {
        kafka.Cluster.EnsureTopic("probe-existing");

        var topics = ClusterProbe.Topics(kafka.Clients, Timeout);
        var again = ClusterProbe.Topics(kafka.Clients, Timeout);

        Assert.Contains("probe-existing", topics);
        Assert.Equal(topics.Order(), again.Order());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void No_answer_is_one_exception_naming_the_bootstrap_servers_and_why(bool unresolvable)
    {
        var servers = unresolvable ? "kafka.invalid:9092" : "127.0.0.1:1" /* nothing listens on port 1 */;

        var error = Assert.Throws<KafkaUnreachableException>(() => ClusterProbe.Topics(new KafkaClientSettings(servers), Timeout));

        Assert.Equal(servers, error.BootstrapServers);
        Assert.StartsWith($"Kafka at {servers} did not answer within 5 s (", error.Message);
        Assert.DoesNotContain("rdkafka#", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Credentials_in_the_bootstrap_servers_never_reach_the_error()
    {
        var error = Assert.Throws<KafkaUnreachableException>(() => ClusterProbe.Topics(new KafkaClientSettings("user:pw-secret@127.0.0.1:1"), Timeout));

        Assert.StartsWith("Kafka at ***@127.0.0.1:1 did not answer", error.Message);
        Assert.DoesNotContain("pw-secret", error.Message + error.BootstrapServers + error.Reason);
    }
}
