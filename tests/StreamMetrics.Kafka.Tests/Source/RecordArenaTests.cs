using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using StreamMetrics.Kafka.Source;

namespace StreamMetrics.Kafka.Tests.Source;

public sealed class RecordArenaTests
{
    // A few hundred bytes, as an order is: a chunk holds several hundred of them.
    private static byte[] Bytes(int number, int length = 300)
    {
        var bytes = new byte[length];
        for (var i = 0; i + 4 <= length; i += 4) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i), number);
        return bytes;
    }

    private static ConsumedRecord Record(RecordArena arena, int number) =>
        new(0, number, arena.Copy(Bytes(number, 8)), arena.Copy(Bytes(number)), DateTime.UnixEpoch);

    private static MemoryManager<byte>? ChunkOf(ReadOnlyMemory<byte> copy) =>
        MemoryMarshal.TryGetMemoryManager(copy, out MemoryManager<byte>? chunk) ? chunk : null;

    private static List<ConsumedRecord> Records(RecordArena arena, int from, int count) =>
        [.. Enumerable.Range(from, count).Select(number => Record(arena, number))];

    [Fact]
    public void A_copy_holds_the_bytes_it_was_given_and_null_or_empty_become_empty()
    {
        var arena = new RecordArena();
        var copy = arena.Copy(Bytes(7));
        Assert.Equal(Bytes(7), copy.ToArray());
        Assert.NotNull(ChunkOf(copy));
        Assert.True(arena.Copy([]).IsEmpty);
        Assert.True(arena.Deserializer.Deserialize([], isNull: true, default).IsEmpty);
    }

    [Fact]
    public void A_large_record_gets_an_array_of_its_own()
    {
        var large = new RecordArena().Copy(Bytes(1, 64 * 1024));
        Assert.Null(ChunkOf(large));
        Assert.Equal(Bytes(1, 64 * 1024), large.ToArray());
    }

    [Fact]
    public void A_chunk_is_reused_once_every_copy_in_it_was_released()
    {
        var arena = new RecordArena();
        var first = Records(arena, 0, 2000);
        var firstChunk = ChunkOf(first[0].Value);
        arena.Release(first);
        var later = Records(arena, 2000, 2000);
        Assert.Contains(later, record => ReferenceEquals(ChunkOf(record.Value), firstChunk));
        Assert.All(later, record => Assert.Equal(Bytes((int)record.Offset), record.Value.ToArray()));
    }

    [Fact]
    public void A_chunk_with_one_copy_still_held_is_never_reused()
    {
        var arena = new RecordArena();
        var records = Records(arena, 0, 2000);
        var held = records[1];
        arena.Release([.. records.Where(record => record.Offset != 1)]);
        var later = Records(arena, 2000, 4000);
        Assert.DoesNotContain(later, record => ReferenceEquals(ChunkOf(record.Value), ChunkOf(held.Value)));
        Assert.Equal(Bytes(1), held.Value.ToArray());
    }

    [Fact]
    public void A_batch_released_twice_releases_its_records_once()
    {
        var arena = new RecordArena();
        // Two batches of the same size in one chunk, everything else in it released: were the first released twice, the
        // chunk's count would reach zero with the second still held, and later records would be copied over it.
        var records = Records(arena, 0, 20);
        var first = new RecordBatch("t", 0, records[..10]) { Arena = arena };
        var second = new RecordBatch("t", 0, records[10..]) { Arena = arena };
        first.Release();
        first.Release();
        arena.Release(Records(arena, 20, 2000));
        Records(arena, 2020, 4000);
        Assert.All(second.Records, record => Assert.Equal(Bytes((int)record.Offset), record.Value.ToArray()));
    }

    [Fact]
    public void A_released_batch_hands_its_list_back_empty_for_the_next_batch()
    {
        var arena = new RecordArena();
        var list = arena.RentList(10);
        list.AddRange(Records(arena, 0, 10));
        new RecordBatch("t", 0, list) { Arena = arena }.Release();
        Assert.Same(list, arena.RentList(10));
        Assert.Empty(list);
        Assert.NotSame(list, arena.RentList(10));
    }

    [Fact]
    public async Task Copies_released_on_other_threads_while_copying_goes_on_keep_their_bytes_until_released()
    {
        var arena = new RecordArena();
        var batches = System.Threading.Channels.Channel.CreateBounded<List<ConsumedRecord>>(8);
        var corrupted = 0;
        var releasers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            await foreach (var batch in batches.Reader.ReadAllAsync())
            {
                foreach (var record in batch)
                    if (!record.Value.Span.SequenceEqual(Bytes((int)record.Offset)) || !record.Key.Span.SequenceEqual(Bytes((int)record.Offset, 8)))
                        Interlocked.Increment(ref corrupted);
                arena.Release(batch);
            }
        })).ToList();
        for (var from = 0; from < 200_000; from += 100) await batches.Writer.WriteAsync(Records(arena, from, 100));
        batches.Writer.Complete();
        await Task.WhenAll(releasers);
        Assert.Equal(0, corrupted);
    }
}
