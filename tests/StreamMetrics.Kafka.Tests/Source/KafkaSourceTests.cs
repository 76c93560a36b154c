using Akka.Streams;
using Akka.Streams.Dsl;
using StreamMetrics.Kafka.Source;

namespace StreamMetrics.Kafka.Tests.Source;

[Collection(nameof(KafkaCollection))]
public sealed class KafkaSourceTests(KafkaFixture kafka)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private (IKafkaSourceControl Control, ISinkQueue<SourceEvent> Events) Start(string topic, string group, int maxBuffered = 10_000, int maxBatch = 1000,
        long maxBytes = 16 << 20)
    {
        var settings = new KafkaSourceSettings(kafka.GroupClients, topic, group)
        {
            MaxBufferedPerPartition = maxBuffered,
            MaxBufferedBytesPerPartition = maxBytes,
            MaxBatchSize = maxBatch,
            CommitInterval = TimeSpan.FromMilliseconds(200),
        };
        return KafkaSource.Create(settings)
            .ToMaterialized(Sink.Queue<SourceEvent>().WithAttributes(Attributes.CreateInputBuffer(1, 1)), Keep.Both)
            .Run(kafka.System.Materializer());
    }

    private static async Task<SourceEvent> NextAsync(ISinkQueue<SourceEvent> events)
    {
        var next = await events.PullAsync().WaitAsync(Patience);
        return next.HasValue ? next.Value : throw new InvalidOperationException("the source completed");
    }

    /// <summary>Pulls until <paramref name="done"/> says so; returns the records seen per partition.</summary>
    private static async Task<Dictionary<int, List<ConsumedRecord>>> ReadAsync(ISinkQueue<SourceEvent> events,
        Func<Dictionary<int, List<ConsumedRecord>>, bool> done, List<SourceEvent>? seen = null)
    {
        var records = new Dictionary<int, List<ConsumedRecord>>();
        while (!done(records))
        {
            var next = await NextAsync(events);
            seen?.Add(next);
            if (next is RecordBatch batch)
            {
                Assert.All(batch.Records, r => Assert.Equal(batch.Partition, r.Partition));
                if (!records.TryGetValue(batch.Partition, out var list)) records[batch.Partition] = list = [];
                list.AddRange(batch.Records);
            }
        }
        return records;
    }

    [Fact]
    public async Task One_consumer_gets_all_four_partitions_and_every_record_in_offset_order()
    {
        const string topic = "source-assign";
        kafka.Produce(topic, 250, 0, 1, 2, 3);
        var (control, events) = Start(topic, "assign", maxBatch: 100);

        var seen = new List<SourceEvent>();
        var records = await ReadAsync(events, r => r.Values.Sum(l => l.Count) == 1000, seen);

        var assigned = Assert.IsType<PartitionsAssigned>(seen[0]);
        Assert.Equal([0, 1, 2, 3], assigned.Partitions);
        Assert.Equal([0, 1, 2, 3], control.Assignment.Order());
        foreach (var (partition, list) in records)
        {
            Assert.Equal(Enumerable.Range(0, 250).Select(i => (long)i), list.Select(r => r.Offset));
            Assert.Equal($"{partition}:249", System.Text.Encoding.UTF8.GetString(list[^1].Value.Span));
        }
        Assert.All(seen.OfType<RecordBatch>(), b => Assert.InRange(b.Records.Count, 1, 100));
        await control.StopAsync().WaitAsync(Patience);
    }

    [Fact]
    public async Task A_partition_whose_buffer_is_full_is_paused_and_resumed_once_it_drains_with_nothing_lost_or_repeated()
    {
        const string topic = "source-pause";
        kafka.Produce(topic, 2000, 2);
        var (control, events) = Start(topic, "pause", maxBuffered: 100, maxBatch: 10);
        Assert.IsType<PartitionsAssigned>(await NextAsync(events));

        // Nobody pulls: the buffer fills to its bound and the partition pauses.
        await Eventually(() => control.Paused.Contains(2));
        Assert.InRange(control.BufferedRecords, 51, 100);

        var records = await ReadAsync(events, r => r.GetValueOrDefault(2)?.Count == 2000);
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => (long)i), records[2].Select(r => r.Offset));
        Assert.Empty(control.Paused);
        await control.StopAsync().WaitAsync(Patience);
    }

    [Fact]
    public async Task A_partition_is_paused_at_its_byte_bound_however_few_records_that_is_and_batches_hold_at_most_half_of_it()
    {
        const string topic = "source-pause-bytes";
        const int padding = 64 * 1024;
        kafka.ProducePadded(topic, 40, padding, 1);
        var (control, events) = Start(topic, "pause-bytes", maxBuffered: 10_000, maxBatch: 1000, maxBytes: 1 << 20);
        Assert.IsType<PartitionsAssigned>(await NextAsync(events));

        // Sixteen records of 64 KiB fill a 1 MiB bound, far below the bound of 10,000 records (and one batch of half may be out).
        await Eventually(() => control.Paused.Contains(1));
        Assert.InRange(control.BufferedRecords, 8, 16);

        var seen = new List<SourceEvent>();
        var records = await ReadAsync(events, r => r.GetValueOrDefault(1)?.Count == 40, seen);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), records[1].Select(r => r.Offset));
        Assert.All(seen.OfType<RecordBatch>(), b => Assert.InRange(b.Records.Sum(r => r.Value.Length + r.Key.Length), 1, (1 << 20) / 2 + padding + 16));
        Assert.Empty(control.Paused);
        await control.StopAsync().WaitAsync(Patience);
    }

    [Fact]
    public async Task Only_offsets_marked_committable_are_committed_and_a_restart_resumes_there()
    {
        const string topic = "source-commit";
        kafka.Produce(topic, 100, 1);
        var (control, events) = Start(topic, "commit");
        await ReadAsync(events, r => r.GetValueOrDefault(1)?.Count == 100);

        control.Commit(1, 50);
        control.Commit(1, 40); // lower: ignored
        await control.CommitNowAsync().WaitAsync(Patience);
        await control.StopAsync().WaitAsync(Patience);

        var (again, moreEvents) = Start(topic, "commit");
        var records = await ReadAsync(moreEvents, r => r.GetValueOrDefault(1)?.Count == 50);
        Assert.Equal(50, records[1][0].Offset);
        Assert.Equal(99, records[1][^1].Offset);
        await again.StopAsync().WaitAsync(Patience);
    }

    [Fact]
    public async Task A_second_consumer_takes_over_revoked_partitions_from_the_committed_offsets()
    {
        const string topic = "source-rebalance";
        kafka.Produce(topic, 100, 0, 1, 2, 3);
        var (first, firstEvents) = Start(topic, "rebalance", maxBatch: 100);
        var firstRecords = await ReadAsync(firstEvents, r => r.Values.Sum(l => l.Count) == 400);
        foreach (var partition in firstRecords.Keys) first.Commit(partition, 60);
        await first.CommitNowAsync().WaitAsync(Patience);

        var (second, secondEvents) = Start(topic, "rebalance", maxBatch: 100);
        var firstSeen = new List<SourceEvent>();
        var pulling = ReadAsync(firstEvents, _ => firstSeen.OfType<PartitionsRevoked>().Any(), firstSeen);
        var secondSeen = new List<SourceEvent>();
        var taken = await ReadAsync(secondEvents, r => r.Count > 0 && r.Values.All(l => l.Count == 40)
            && secondSeen.OfType<PartitionsAssigned>().SelectMany(a => a.Partitions).Count() == r.Count, secondSeen);
        await pulling;

        var revoked = firstSeen.OfType<PartitionsRevoked>().Single();
        Assert.False(revoked.Lost);
        Assert.Equal(revoked.Partitions.Order(), taken.Keys.Order());
        Assert.All(taken.Values, list => Assert.Equal(Enumerable.Range(60, 40).Select(i => (long)i), list.Select(r => r.Offset)));
        Assert.Equal([0, 1, 2, 3], first.Assignment.Concat(second.Assignment).Order());
        await second.StopAsync().WaitAsync(Patience);
        await first.StopAsync().WaitAsync(Patience);
    }

    [Fact]
    public async Task A_paused_partition_taken_away_and_given_back_is_read_again_from_where_it_was_committed()
    {
        const string topic = "source-paused-rebalance";
        kafka.Produce(topic, 500, 0, 1, 2, 3);
        var (first, firstEvents) = Start(topic, "paused-rebalance", maxBuffered: 100, maxBatch: 10);
        Assert.IsType<PartitionsAssigned>(await NextAsync(firstEvents));
        // Nobody pulls: every buffer fills and every partition pauses.
        await Eventually(() => first.Paused.Count == 4);

        var (second, secondEvents) = Start(topic, "paused-rebalance");
        Assert.IsType<PartitionsAssigned>(await NextAsync(secondEvents));
        await Eventually(() => first.Assignment.Count == 2);
        await second.StopAsync().WaitAsync(Patience);
        await Eventually(() => first.Assignment.Count == 4);

        // The partitions that came back were paused when they left: they must be fetched again all the same.
        // A batch pushed before the revoke (nothing was committed) is read again: every offset is there, some twice.
        var records = await ReadAsync(firstEvents, r => r.Count == 4 && r.Values.All(l => l.Select(r => r.Offset).Distinct().Count() == 500));
        Assert.All(records.Values, list => Assert.Equal(Enumerable.Range(0, 500).Select(i => (long)i), list.Select(r => r.Offset).Distinct().Order()));
        await first.StopAsync().WaitAsync(Patience);
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not reached");
            await Task.Delay(10);
        }
    }
}
