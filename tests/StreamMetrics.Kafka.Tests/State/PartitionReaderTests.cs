using System.Text;
using Confluent.Kafka;
using StreamMetrics.Kafka.State;

namespace StreamMetrics.Kafka.Tests.State;

[Collection(nameof(KafkaCollection))]
public sealed class PartitionReaderTests(KafkaFixture kafka)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_reader_whose_position_leaves_the_log_while_it_reads_starts_over_at_the_new_start_and_hands_over_the_partition_as_it_is()
    {
        const string topic = "reader-start-moves";
        var partition = new TopicPartition(topic, 0);
        kafka.Cluster.EnsureTopic(topic);
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.Cluster.BootstrapServers, LingerMs = 0 }).Build();
        // One message set each, so that the dev cluster removes them one at a time from the start.
        for (var i = 0; i < 100; i++)
            await producer.ProduceAsync(partition, new Message<string, byte[]> { Key = $"small-{i}", Value = [1] });
        // A reader with a small queue fetches little ahead of what it has handed over.
        var reader = new KafkaClientSettings(kafka.Cluster.BootstrapServers,
            new Dictionary<string, string> { ["queued.max.messages.kbytes"] = "1", ["queued.min.messages"] = "1" });

        var handedOver = new List<string>();
        var restarts = 0;
        var read = PartitionReader.Read(reader, topic, 0, until: null, Timeout, record =>
        {
            if (handedOver.Count == 0 && restarts == 0)
            {
                // The dev cluster keeps a partition's newest 5 MiB (DESIGN §7): 6 MiB more push every small record out.
                var noise = new byte[512 * 1024];
                new Random(1).NextBytes(noise);
                for (var i = 0; i < 12; i++) producer.Produce(partition, new Message<string, byte[]> { Key = $"large-{i}", Value = noise });
                Assert.Equal(0, producer.Flush(Timeout));
            }
            handedOver.Add(Encoding.UTF8.GetString(record.Message.Key!));
        }, onRestart: () =>
        {
            handedOver.Clear();
            restarts++;
        });

        using var probe = new ConsumerBuilder<byte[], byte[]>(reader.Consumer("reader-probe")).Build();
        var now = probe.QueryWatermarkOffsets(partition, Timeout);
        var remaining = (int)(now.High.Value - now.Low.Value);
        Assert.InRange(remaining, 1, 11);
        Assert.Equal(1, read.Restarts);
        Assert.Equal(1, restarts);
        Assert.Equal(Enumerable.Range(12 - remaining, remaining).Select(i => $"large-{i}"), handedOver);
        Assert.Equal(remaining, read.Records);
    }
}
