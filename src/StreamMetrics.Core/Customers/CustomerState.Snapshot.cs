using System.Runtime.CompilerServices;
using StreamMetrics.Core.State;
using StreamMetrics.Core.Time;

namespace StreamMetrics.Core.Customers;

public sealed partial class CustomerState
{
    // A customer keeps at most one bucket per period and one id per order within its retention; these
    // bounds only stop a corrupt snapshot from allocating without limit.
    private const int MaxCount = 1 << 24;

    // Keys are sorted in an array of the thread's own: a checkpoint encodes every customer changed since the last one.
    [ThreadStatic]
    private static (ulong Hash, long Ticks)[]? t_orderIds;

    /// <summary>Every field, in a canonical order (sorted keys), so that equal states always give equal bytes.</summary>
    internal void WriteTo(SnapshotWriter writer)
    {
        writer.WriteString(Region);
        writer.WriteString(Channel);
        WriteTicks(writer, _newestOrderTicks);
        WriteTicks(writer, _lastPurchaseTicks);
        writer.WriteVarUInt((ulong)Purchases);
        writer.WriteDecimal(PurchaseRevenue);
        writer.WriteDecimal(Refunded);
        writer.WriteDecimal(_firstDayRevenue);
        writer.WriteVarUInt((ulong)_orderIdsAtLastPrune);

        writer.WriteVarUInt((ulong)_buckets.Count);
        var previousIndex = 0L;
        foreach (var bucket in _buckets.AsSpan())
        {
            writer.WriteVarInt(bucket.Index - previousIndex);
            previousIndex = bucket.Index;
            writer.WriteByte(bucket.Pending ? (byte)1 : (byte)0);
            writer.WriteVarUInt((ulong)bucket.Orders);
            writer.WriteDecimal(bucket.Revenue);
            writer.WriteVarUInt((ulong)bucket.Returns);
            writer.WriteDecimal(bucket.Refunded);
            writer.WriteVarInt(bucket.Units);
        }

        writer.WriteVarUInt((ulong)_orderIds.Count);
        foreach (var (hash, ticks) in SortedOrderIds())
        {
            writer.WriteUInt64(hash);
            writer.WriteVarInt(_newestOrderTicks - ticks);
        }

        writer.WriteVarUInt((ulong)_purchaseDays.Count);
        var previousDay = 0;
        foreach (var day in _purchaseDays.AsSpan())
        {
            writer.WriteVarInt(day - previousDay);
            previousDay = day;
        }
    }

    private ReadOnlySpan<(ulong Hash, long Ticks)> SortedOrderIds()
    {
        var count = _orderIds.Count;
        if (t_orderIds is null || t_orderIds.Length < count) t_orderIds = new (ulong, long)[Math.Max(count, 2 * (t_orderIds?.Length ?? 8))];
        var orderIds = t_orderIds.AsSpan(0, count);
        _orderIds.CopyTo(orderIds);
        orderIds.Sort(static (a, b) => a.Hash.CompareTo(b.Hash));
        return orderIds;
    }

    internal static CustomerState ReadFrom(ref SnapshotReader reader, string customerId, PeriodWindows windows, TimeSpan retention)
    {
        var state = new CustomerState(customerId, windows, retention)
        {
            Region = reader.ReadString(),
            Channel = reader.ReadString(),
        };
        state._newestOrderTicks = ReadTicks(ref reader);
        state._lastPurchaseTicks = ReadTicks(ref reader);
        state.Purchases = (long)reader.ReadVarUInt();
        state.PurchaseRevenue = reader.ReadDecimal();
        state.Refunded = reader.ReadDecimal();
        state._firstDayRevenue = reader.ReadDecimal();
        state._orderIdsAtLastPrune = reader.ReadCount(int.MaxValue);

        var buckets = reader.ReadCount(MaxCount);
        var index = 0L;
        for (var i = 0; i < buckets; i++)
        {
            index += reader.ReadVarInt();
            ref var bucket = ref state.BucketOf(index);
            ReadBucket(ref reader, ref bucket);
            if (bucket.Pending) state.PendingWindows++;
        }

        var orderIds = reader.ReadCount(MaxCount);
        for (var i = 0; i < orderIds; i++)
        {
            var (hash, ticks) = (reader.ReadUInt64(), state._newestOrderTicks - reader.ReadVarInt());
            if (ticks < 0) throw new InvalidDataException("an order id of the customer's snapshot is dated before year 1");
            state._orderIds.TryAdd(hash, ticks);
        }

        var days = reader.ReadCount(MaxCount);
        var day = 0;
        for (var i = 0; i < days; i++)
        {
            day += (int)reader.ReadVarInt();
            state._purchaseDays.Add(day);
        }
        return state;
    }

    /// <summary>
    /// Reads a state as <see cref="ReadFrom"/> does, refusing what it refuses, but keeps nothing of it beyond the periods of
    /// its pending windows, which go to <paramref name="pending"/> under <paramref name="customerId"/>.
    /// </summary>
    // A restore runs this for every record or state, once a process: optimised from the first call, not quick-compiled first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ReadPendingWindows(ref SnapshotReader reader, string customerId, PendingPeriods pending)
    {
        reader.SkipString(); // region
        reader.SkipString(); // channel
        ReadTicks(ref reader); // newest order
        ReadTicks(ref reader); // last purchase
        reader.ReadVarUInt(); // purchases
        reader.ReadDecimal(); // purchase revenue
        reader.ReadDecimal(); // refunded
        reader.ReadDecimal(); // first day's revenue
        reader.ReadCount(int.MaxValue); // order ids at the last prune

        var buckets = reader.ReadCount(MaxCount);
        var index = 0L;
        var bucket = default(ActivityBucket);
        for (var i = 0; i < buckets; i++)
        {
            index += reader.ReadVarInt();
            ReadBucket(ref reader, ref bucket);
            if (bucket.Pending) pending.Add(index, customerId);
        }

        var orderIds = reader.ReadCount(MaxCount);
        for (var i = 0; i < orderIds; i++)
        {
            reader.ReadUInt64();
            reader.ReadVarInt();
        }

        var days = reader.ReadCount(MaxCount);
        for (var i = 0; i < days; i++) reader.ReadVarInt();
    }

    private static void ReadBucket(ref SnapshotReader reader, ref ActivityBucket bucket)
    {
        bucket.Pending = reader.ReadByte() != 0;
        bucket.Orders = (long)reader.ReadVarUInt();
        bucket.Revenue = reader.ReadDecimal();
        bucket.Returns = (long)reader.ReadVarUInt();
        bucket.Refunded = reader.ReadDecimal();
        bucket.Units = reader.ReadVarInt();
    }

    // Event times are never negative, so 0 can stand for "none yet" (long.MinValue) in one byte.
    private static void WriteTicks(SnapshotWriter writer, long ticks) =>
        writer.WriteVarUInt(ticks == long.MinValue ? 0 : (ulong)ticks + 1);

    private static long ReadTicks(ref SnapshotReader reader)
    {
        var value = reader.ReadVarUInt();
        if (value > (ulong)DateTimeOffset.MaxValue.UtcTicks + 1) throw new InvalidDataException("state snapshot holds a time beyond the year 9999");
        return value == 0 ? long.MinValue : (long)value - 1;
    }
}
