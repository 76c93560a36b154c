using System.Numerics;

namespace StreamMetrics.Core.Customers;

/// <summary>The order ids a customer remembers, by their stable hash, each with its order's event time in ticks.</summary>
/// <remarks>
/// An open-addressing table in one array of pairs rather than a map: most customers remember a few ids, and a new
/// customer's map (its object, buckets and entries, grown twice by its fourth order) cost 216 bytes more than this table.
/// A slot is free while its time is 0: times are kept plus one, as event times in ticks are never negative. A table a
/// customer outgrows (or prunes) is kept, cleared, for the next table of its size on the same thread: every customer's table
/// grows with its orders, so otherwise each order would allocate about twice its slot over the customer's life.
/// </remarks>
internal struct OrderIdTimes
{
    private const int FirstCapacity = 4; // a power of two, as every capacity

    private Slot[]? _slots;

    public int Count { get; private set; }

    /// <summary>Remembers an id; false when it is remembered already.</summary>
    public bool TryAdd(ulong hash, long ticks)
    {
        // At most three quarters full, so that a search for an absent id soon meets a free slot.
        if (_slots is null || 4 * (Count + 1) > 3 * _slots.Length) Resize(Math.Max(FirstCapacity, 2 * (_slots?.Length ?? 0)));
        ref var slot = ref SlotOf(_slots!, hash);
        if (slot.StoredTicks != 0) return false;
        slot = new Slot(hash, ticks + 1);
        Count++;
        return true;
    }

    /// <summary>Forgets the ids of orders older than <paramref name="horizonTicks"/>.</summary>
    public void ForgetOlderThan(long horizonTicks)
    {
        if (_slots is null) return;
        var kept = 0;
        foreach (var slot in _slots)
            if (IsKept(slot, horizonTicks)) kept++;
        if (kept == Count) return;
        var capacity = FirstCapacity;
        while (4 * kept > 3 * capacity) capacity *= 2;
        Resize(capacity, horizonTicks);
        Count = kept;
    }

    /// <summary>Copies every remembered id and its time to <paramref name="into"/>, which holds at least <see cref="Count"/>.</summary>
    public void CopyTo(Span<(ulong Hash, long Ticks)> into)
    {
        if (_slots is null) return;
        var at = 0;
        foreach (var slot in _slots)
            if (slot.StoredTicks != 0) into[at++] = (slot.Hash, slot.StoredTicks - 1);
    }

    /// <summary>Moves the ids of orders from <paramref name="horizonTicks"/> on to a table of <paramref name="capacity"/> slots.</summary>
    private void Resize(int capacity, long horizonTicks = long.MinValue)
    {
        var slots = _slots;
        _slots = SpareTables.Take(capacity);
        if (slots is null) return;
        foreach (var slot in slots)
            if (IsKept(slot, horizonTicks)) SlotOf(_slots, slot.Hash) = slot;
        SpareTables.Keep(slots);
    }

    private static bool IsKept(Slot slot, long horizonTicks) => slot.StoredTicks != 0 && slot.StoredTicks - 1 >= horizonTicks;

    /// <summary>The slot holding <paramref name="hash"/>, or the free slot where it would go.</summary>
    private static ref Slot SlotOf(Slot[] slots, ulong hash)
    {
        var mask = slots.Length - 1;
        // FNV's low bits follow the id's last characters closely: Fibonacci hashing spreads them over the table.
        var at = (int)((hash * 0x9E3779B97F4A7C15UL) >> (64 - BitOperations.Log2((uint)slots.Length)));
        while (slots[at].StoredTicks != 0 && slots[at].Hash != hash) at = (at + 1) & mask;
        return ref slots[at];
    }

    private readonly record struct Slot(ulong Hash, long StoredTicks);

    /// <summary>Cleared tables of each size up to <see cref="LargestKept"/> slots, a few of each, per thread.</summary>
    private static class SpareTables
    {
        private const int LargestKept = 1024; // 16 KiB; a customer with more ids is rare, and its table seldom moves
        private const int KeptEachSize = 16;

        [ThreadStatic]
        private static Stack<Slot[]>?[]? t_bySize;

        public static Slot[] Take(int capacity) =>
            capacity <= LargestKept && t_bySize?[SizeIndex(capacity)] is { Count: > 0 } spare ? spare.Pop() : new Slot[capacity];

        public static void Keep(Slot[] table)
        {
            if (table.Length > LargestKept) return;
            var spare = (t_bySize ??= new Stack<Slot[]>?[SizeIndex(LargestKept) + 1])[SizeIndex(table.Length)] ??= new Stack<Slot[]>(KeptEachSize);
            if (spare.Count == KeptEachSize) return;
            Array.Clear(table);
            spare.Push(table);
        }

        private static int SizeIndex(int capacity) => BitOperations.Log2((uint)capacity);
    }
}
