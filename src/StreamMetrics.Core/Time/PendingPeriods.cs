namespace StreamMetrics.Core.Time;

/// <summary>
/// The period windows of one partition that hold orders not yet emitted: which customers to ask for
/// them when the watermark passes their end, and the lowest offset behind them.
/// </summary>
/// <remarks>
/// A partition may commit an offset only when every window fed by the records before it has been
/// emitted and acknowledged (DESIGN §5), so the committable offset can never pass
/// <see cref="LowestOffset"/>.
/// </remarks>
public sealed class PendingPeriods
{
    private readonly SortedDictionary<long, Period> _periods = new();

    /// <summary>The lowest offset that fed a pending window; null when nothing is pending.</summary>
    public long? LowestOffset
    {
        get
        {
            long? lowest = null;
            foreach (var period in _periods.Values)
                if (lowest is null || period.LowestOffset < lowest) lowest = period.LowestOffset;
            return lowest;
        }
    }

    public int Count => _periods.Count;

    public void Add(long periodIndex, string customerId, long offset)
    {
        if (!_periods.TryGetValue(periodIndex, out var period))
            _periods.Add(periodIndex, period = new Period(offset));
        period.Customers.Add(customerId);
        period.LowestOffset = Math.Min(period.LowestOffset, offset);
    }

    /// <summary>Removes the periods before <paramref name="firstOpenIndex"/> and adds their customers to <paramref name="into"/>.</summary>
    public void TakeClosed(long firstOpenIndex, ISet<string> into)
    {
        while (_periods.Count > 0)
        {
            var (index, period) = _periods.First();
            if (index >= firstOpenIndex) return;
            into.UnionWith(period.Customers);
            _periods.Remove(index);
        }
    }

    /// <summary>Removes every period and adds its customers to <paramref name="into"/>.</summary>
    public void TakeAll(ISet<string> into) => TakeClosed(long.MaxValue, into);

    private sealed class Period(long lowestOffset)
    {
        public HashSet<string> Customers { get; } = new(StringComparer.Ordinal);

        public long LowestOffset { get; set; } = lowestOffset;
    }
}
