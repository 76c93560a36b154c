using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Orders;
using StreamMetrics.Core.Time;

namespace StreamMetrics.Core.Customers;

/// <summary>
/// Everything StreamMetrics knows about one customer: activity per period window, and the order ids
/// it has already applied. Pure and deterministic: time comes only from the orders' event time and
/// the watermark the caller passes in.
/// </summary>
/// <remarks>
/// Mutable on purpose: an order is applied in place, without allocating, because this is the hot path
/// for every order. The owner (one CustomerActor) is the only one to touch it.
/// Buckets and order ids are kept for <c>retention</c> of event time behind the customer's newest order;
/// that is how far back a late order can still correct its window, and how long an order id is
/// remembered for de-duplication.
/// </remarks>
public sealed partial class CustomerState
{
    private readonly PeriodWindows _windows;
    private readonly long _retentionTicks;
    // One per period with orders, sorted by period. A list, not a map: most customers have orders in a period or two at a
    // time, and a new customer's first map (its object, buckets and three entries: 380 bytes) was a tenth of starting one.
    private InlineList<ActivityBucket> _buckets;
    private OrderIdTimes _orderIds;
    private InlineList<int> _purchaseDays;
    private int _orderIdsAtLastPrune = 16;
    private long _newestOrderTicks = long.MinValue;
    private long _lastPurchaseTicks = long.MinValue;
    private decimal _firstDayRevenue;

    public CustomerState(string customerId, PeriodWindows windows, TimeSpan retention)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retention, TimeSpan.Zero);
        CustomerId = customerId;
        _windows = windows;
        _retentionTicks = retention.Ticks;
    }

    public string CustomerId { get; }

    /// <summary>Windows changed since they were last emitted.</summary>
    public int PendingWindows { get; private set; }

    /// <summary>Order ids currently remembered for de-duplication.</summary>
    public int RememberedOrderIds => _orderIds.Count;

    /// <summary>Purchases over the customer's lifetime.</summary>
    public long Purchases { get; private set; }

    /// <summary>Revenue of all purchases.</summary>
    public decimal PurchaseRevenue { get; private set; }

    /// <summary>Revenue of the purchases on every purchase day but the first: the spend of repeat purchases.</summary>
    public decimal RepeatPurchaseRevenue => PurchaseRevenue - _firstDayRevenue;

    /// <summary>Value of all returns.</summary>
    public decimal Refunded { get; private set; }

    /// <summary>The time of the latest purchase; null before the first.</summary>
    public DateTimeOffset? LastPurchase => _lastPurchaseTicks == long.MinValue ? null : new DateTimeOffset(_lastPurchaseTicks, TimeSpan.Zero);

    /// <summary>The region of the customer's latest order that named one.</summary>
    public string? Region { get; private set; }

    /// <summary>The channel of the customer's latest order that named one.</summary>
    public string? Channel { get; private set; }

    /// <summary>Distinct UTC days with a purchase, in order, as day numbers since the Unix epoch.</summary>
    public ReadOnlySpan<int> PurchaseDays => _purchaseDays.AsSpan();

    /// <summary>
    /// Whether the customer has placed no order (of any kind) for longer than <paramref name="customerRetention"/>
    /// before <paramref name="watermark"/> and has no window still to emit: such a customer is forgotten.
    /// </summary>
    public bool IsPastRetention(DateTimeOffset watermark, TimeSpan customerRetention) =>
        _newestOrderTicks != long.MinValue && PendingWindows == 0 && _newestOrderTicks < watermark.UtcTicks - customerRetention.Ticks;

    public ApplyResult Apply(OrderEvent order)
    {
        var ticks = order.Timestamp.UtcTicks;
        if (_newestOrderTicks != long.MinValue && ticks < _newestOrderTicks - _retentionTicks)
            return ApplyResult.BeyondRetention;
        if (!_orderIds.TryAdd(StableHash.Of(order.OrderId), ticks))
            return ApplyResult.Duplicate;

        ref var bucket = ref BucketOf(_windows.IndexOf(order.Timestamp));
        if (!bucket.Pending)
        {
            bucket.Pending = true;
            PendingWindows++;
        }
        if (order.Kind == OrderKind.Purchase)
        {
            bucket.Orders++;
            bucket.Revenue += order.Amount;
            bucket.Units += order.Units;
            RecordPurchase(order);
        }
        else
        {
            bucket.Returns++;
            bucket.Refunded += order.Amount;
            Refunded += order.Amount;
        }

        if (ticks >= _newestOrderTicks)
        {
            Region = order.Region ?? Region;
            Channel = order.Channel ?? Channel;
        }
        if (ticks > _newestOrderTicks)
        {
            _newestOrderTicks = ticks;
            ForgetBeyondRetention();
        }
        return ApplyResult.Applied;
    }

    /// <summary>
    /// The customer at <paramref name="watermark"/>, in days: x = distinct purchase days − 1, tₓ and T
    /// from the first purchase day, and the fractional days since the last purchase.
    /// </summary>
    public CustomerSummary Summarize(DateTimeOffset watermark)
    {
        if (_purchaseDays.Count == 0) return new CustomerSummary(CustomerId, null, null, 0, PurchaseRevenue - Refunded);
        var first = _purchaseDays[0];
        var age = Math.Max(0, (watermark - DateTimeOffset.UnixEpoch).TotalDays - first);
        var history = new CustomerHistory(_purchaseDays.Count - 1, _purchaseDays[^1] - first, age);
        var sinceLast = Math.Max(0, (watermark - LastPurchase!.Value).TotalDays);
        double? firstRepeatGap = _purchaseDays.Count > 1 ? _purchaseDays[1] - first : null;
        return new CustomerSummary(CustomerId, history, sinceLast, Purchases, PurchaseRevenue - Refunded, firstRepeatGap, RepeatPurchaseRevenue);
    }

    /// <summary>Orders and revenue of the windows that start less than <paramref name="span"/> before the watermark's window ends.</summary>
    public (long Orders, decimal Revenue) Trailing(DateTimeOffset watermark, TimeSpan span)
    {
        var from = _windows.IndexOf(watermark - span) + 1;
        var through = _windows.IndexOf(watermark);
        long orders = 0;
        decimal revenue = 0;
        foreach (var bucket in _buckets.AsSpan())
        {
            if (bucket.Index < from || bucket.Index > through) continue;
            orders += bucket.Orders;
            revenue += bucket.Revenue;
        }
        return (orders, revenue);
    }

    /// <summary>Purchases and their revenue in one period window.</summary>
    public (long Orders, decimal Revenue) ActivityIn(long windowIndex)
    {
        var buckets = _buckets.AsSpan();
        var at = Find(buckets, windowIndex);
        return at >= 0 ? (buckets[at].Orders, buckets[at].Revenue) : (0, 0);
    }

    /// <summary>The bucket of a period, added in its place if the customer has none yet.</summary>
    private ref ActivityBucket BucketOf(long index)
    {
        var buckets = _buckets.AsSpan();
        // Most orders fall in the customer's newest period.
        if (buckets.Length > 0 && buckets[^1].Index == index) return ref buckets[^1];
        var at = Find(buckets, index);
        if (at >= 0) return ref buckets[at];
        _buckets.Insert(~at, new ActivityBucket { Index = index });
        return ref _buckets.AsSpan()[~at];
    }

    /// <summary>Where a period's bucket is, or the complement of where it would go.</summary>
    private static int Find(ReadOnlySpan<ActivityBucket> buckets, long index)
    {
        var (low, high) = (0, buckets.Length - 1);
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            if (buckets[middle].Index == index) return middle;
            if (buckets[middle].Index < index) low = middle + 1;
            else high = middle - 1;
        }
        return ~low;
    }

    private void RecordPurchase(OrderEvent order)
    {
        Purchases++;
        PurchaseRevenue += order.Amount;
        var ticks = order.Timestamp.UtcTicks;
        if (ticks > _lastPurchaseTicks) _lastPurchaseTicks = ticks;
        var day = (int)Math.Floor((order.Timestamp - DateTimeOffset.UnixEpoch).TotalDays);
        // A late order on an earlier day makes that day the first, and the old first day a repeat one.
        if (_purchaseDays.Count == 0 || day < _purchaseDays[0]) _firstDayRevenue = order.Amount;
        else if (day == _purchaseDays[0]) _firstDayRevenue += order.Amount;
        var at = _purchaseDays.AsSpan().BinarySearch(day);
        if (at < 0) _purchaseDays.Insert(~at, day);
    }

    /// <summary>Adds the pending windows that end at or before the watermark to <paramref name="into"/>, and marks them emitted.</summary>
    public void TakeClosedWindows(DateTimeOffset watermark, ICollection<ActivityWindow> into) =>
        TakeWindows(_windows.IndexOf(watermark), into);

    /// <summary>Adds every pending window, open ones included, to <paramref name="into"/> (end of a bounded run).</summary>
    public void TakeAllWindows(ICollection<ActivityWindow> into) => TakeWindows(long.MaxValue, into);

    private void TakeWindows(long firstOpenIndex, ICollection<ActivityWindow> into)
    {
        if (PendingWindows == 0) return;
        foreach (ref var bucket in _buckets.AsSpan())
        {
            if (bucket.Index >= firstOpenIndex) return;
            if (!bucket.Pending) continue;
            bucket.Pending = false;
            PendingWindows--;
            into.Add(new ActivityWindow(CustomerId, _windows.StartOf(bucket.Index), bucket.Orders, bucket.Revenue,
                bucket.Returns, bucket.Refunded, bucket.Units));
        }
    }

    private void ForgetBeyondRetention()
    {
        var horizon = _newestOrderTicks - _retentionTicks;
        var firstKeptIndex = _windows.IndexOf(new DateTimeOffset(Math.Max(horizon, 0), TimeSpan.Zero));
        var buckets = _buckets.AsSpan();
        if (buckets.Length > 0 && buckets[0].Index < firstKeptIndex)
        {
            var kept = 0;
            foreach (var bucket in buckets)
                if (bucket.Index >= firstKeptIndex || bucket.Pending) buckets[kept++] = bucket;
            _buckets.Truncate(kept);
        }

        // Pruning order ids costs a pass over them, so it runs only when their number has doubled.
        if (_orderIds.Count < 2 * _orderIdsAtLastPrune) return;
        _orderIds.ForgetOlderThan(horizon);
        _orderIdsAtLastPrune = Math.Max(16, _orderIds.Count);
    }

    private struct ActivityBucket
    {
        public long Index;
        public bool Pending;
        public long Orders;
        public decimal Revenue;
        public long Returns;
        public decimal Refunded;
        public long Units;
    }
}
