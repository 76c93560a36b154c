using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace StreamMetrics.Kafka.Source;

/// <summary>
/// Where a consumer keeps the records it reads: their keys and values in chunks of memory, each reused once every copy in
/// it has been released, instead of two new arrays a record; and the lists of released batches, for the next batches.
/// </summary>
/// <remarks>
/// Confluent.Kafka hands a deserializer a span over librdkafka's buffer, which is gone once <c>Consume</c> returns; its
/// <c>byte[]</c> deserializer copies the span into a new array, the largest share of what reading a record allocates
/// (BENCHMARKS.md, "Where issue 18 stands"). Copies are made on the consuming thread into the chunk being filled. A chunk
/// is handed back by whoever releases its last copy, or, when every copy was released before the chunk was full, by the
/// consumer as it moves to the next. A copy never released (a record dropped with its revoked partition) only keeps its
/// chunk from being reused: the garbage collector takes the chunk as it would have taken the arrays.
/// </remarks>
public sealed class RecordArena
{
    private const int ChunkSize = 256 * 1024;
    // Larger records get arrays of their own, so a chunk is never mostly one record, nor mostly left unused.
    private const int MaxCopyBytes = ChunkSize / 16;
    // Bounds what the arena keeps for reuse: 64 MiB, more than the source's buffers hold (DESIGN §8: every buffer bounded).
    private const int MaxFreeChunks = 256;
    private const int MaxFreeLists = 64;

    private readonly ConcurrentQueue<Chunk> _free = new();
    private readonly ConcurrentQueue<List<ConsumedRecord>> _freeLists = new();
    private Chunk _filling = new();

    public RecordArena() => Deserializer = new CopyingDeserializer(this);

    /// <summary>Copies what Confluent.Kafka reads into this arena; a null key or value becomes empty memory.</summary>
    public IDeserializer<ReadOnlyMemory<byte>> Deserializer { get; }

    /// <summary>Copies <paramref name="bytes"/> into the arena; called on one thread at a time, the consumer's.</summary>
    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return ReadOnlyMemory<byte>.Empty;
        if (bytes.Length > MaxCopyBytes) return bytes.ToArray();
        if (_filling.TryCopy(bytes) is { } copy) return copy;
        var full = _filling;
        _filling = _free.TryDequeue(out var reused) ? reused : new Chunk();
        if (full.Seal()) Reuse(full);
        return _filling.TryCopy(bytes)!.Value;
    }

    /// <summary>An empty list for a batch of <paramref name="capacity"/> records: a released batch's, or a new one.</summary>
    public List<ConsumedRecord> RentList(int capacity)
    {
        if (!_freeLists.TryDequeue(out var list)) return new List<ConsumedRecord>(capacity);
        list.EnsureCapacity(capacity);
        return list;
    }

    /// <summary>Takes back a released batch's list, which nothing may read any more.</summary>
    public void Return(List<ConsumedRecord> list)
    {
        list.Clear();
        if (_freeLists.Count < MaxFreeLists) _freeLists.Enqueue(list);
    }

    /// <summary>Releases the keys and values of <paramref name="records"/>; after it, nothing may read them. Once a record only.</summary>
    public void Release(IReadOnlyList<ConsumedRecord> records)
    {
        // A partition's records were copied in order, so runs of them share a chunk: one atomic step for each run.
        Chunk? chunk = null;
        var copies = 0;
        for (var i = 0; i < records.Count; i++)
        {
            Count(records[i].Key, ref chunk, ref copies);
            Count(records[i].Value, ref chunk, ref copies);
        }
        if (chunk is not null) Release(chunk, copies);
    }

    /// <summary>Releases one copy; after it, nothing may read it. Once a copy only.</summary>
    public void Release(ReadOnlyMemory<byte> copy)
    {
        if (MemoryMarshal.TryGetMemoryManager(copy, out Chunk? chunk)) Release(chunk, 1);
    }

    private void Count(ReadOnlyMemory<byte> copy, ref Chunk? chunk, ref int copies)
    {
        if (!MemoryMarshal.TryGetMemoryManager(copy, out Chunk? of)) return;
        if (!ReferenceEquals(of, chunk))
        {
            if (chunk is not null) Release(chunk, copies);
            (chunk, copies) = (of, 0);
        }
        copies++;
    }

    private void Release(Chunk chunk, int copies)
    {
        if (chunk.Release(copies)) Reuse(chunk);
    }

    private void Reuse(Chunk chunk)
    {
        chunk.Reset();
        if (_free.Count < MaxFreeChunks) _free.Enqueue(chunk);
    }

    /// <summary>
    /// A chunk's outstanding count falls by each release and rises, once, by every copy made when it is sealed: it reaches
    /// zero exactly once, at the seal or at the last release after it, and whoever brings it there hands the chunk back.
    /// </summary>
    private sealed class Chunk : MemoryManager<byte>
    {
        private readonly byte[] _bytes = GC.AllocateUninitializedArray<byte>(ChunkSize);
        private int _used, _copies, _outstanding;

        public ReadOnlyMemory<byte>? TryCopy(ReadOnlySpan<byte> bytes)
        {
            if (_used + bytes.Length > ChunkSize) return null;
            bytes.CopyTo(_bytes.AsSpan(_used));
            var copy = Memory.Slice(_used, bytes.Length);
            _used += bytes.Length;
            _copies++;
            return copy;
        }

        /// <summary>No more copies go here; true when every one made was already released.</summary>
        public bool Seal() => Interlocked.Add(ref _outstanding, _copies) == 0;

        /// <summary>True when this release was the sealed chunk's last.</summary>
        public bool Release(int copies) => Interlocked.Add(ref _outstanding, -copies) == 0;

        public void Reset() => (_used, _copies, _outstanding) = (0, 0, 0);

        public override Span<byte> GetSpan() => _bytes;

        public override MemoryHandle Pin(int elementIndex = 0) => _bytes.AsMemory(elementIndex).Pin();

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }

    private sealed class CopyingDeserializer(RecordArena arena) : IDeserializer<ReadOnlyMemory<byte>>
    {
        public ReadOnlyMemory<byte> Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) =>
            isNull ? ReadOnlyMemory<byte>.Empty : arena.Copy(data);
    }
}
