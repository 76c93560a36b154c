namespace StreamMetrics.Core.Time;

/// <summary>
/// The period windows of one partition that hold orders not yet emitted, and which customers to ask
/// for them when the watermark passes their end.
/// </summary>
public sealed class PendingPeriods
{
    private readonly SortedDictionary<long, HashSet<string>> _periods = new();

    // The set of the last period taken, emptied, for the next period: a set grows to a period's customers, and growing
    // a new one each period cost tens of bytes an order.
    private HashSet<string>? _spare;

    public int Count => _periods.Count;

    public void Add(long periodIndex, string customerId)
    {
        if (!_periods.TryGetValue(periodIndex, out var customers))
        {
            customers = _spare ?? new HashSet<string>(StringComparer.Ordinal);
            _spare = null;
            _periods.Add(periodIndex, customers);
        }
        customers.Add(customerId);
    }

    /// <summary>Removes the periods before <paramref name="firstOpenIndex"/> and adds their customers to <paramref name="into"/>.</summary>
    public void TakeClosed(long firstOpenIndex, ISet<string> into)
    {
        while (_periods.Count > 0)
        {
            var (index, customers) = _periods.First();
            if (index >= firstOpenIndex) return;
            into.UnionWith(customers);
            _periods.Remove(index);
            customers.Clear();
            _spare = customers;
        }
    }

    /// <summary>Removes every period and adds its customers to <paramref name="into"/>.</summary>
    public void TakeAll(ISet<string> into) => TakeClosed(long.MaxValue, into);
}
