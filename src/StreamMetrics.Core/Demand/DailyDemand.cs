using StreamMetrics.Core.Orders;

namespace StreamMetrics.Core.Demand;

/// <summary>Demand per key and UTC day over a whole data set, as dense daily series for forecasting and backtests.</summary>
public sealed class DailyDemand
{
    private readonly Dictionary<DemandKey, Dictionary<int, DemandFigures>> _byKey = new();

    private DailyDemand(int firstDay, int lastDay)
    {
        FirstDay = firstDay;
        LastDay = lastDay;
    }

    /// <summary>The first and last day with an order, as day numbers since the Unix epoch.</summary>
    public int FirstDay { get; }

    public int LastDay { get; }

    public IEnumerable<DemandKey> Keys => _byKey.Keys;

    public static DailyDemand From(IReadOnlyCollection<OrderEvent> orders)
    {
        var demand = new DailyDemand(orders.Min(DayOf), orders.Max(DayOf));
        var day = 0;
        void Add(DemandKey key, DemandFigures figures)
        {
            if (!demand._byKey.TryGetValue(key, out var days)) demand._byKey.Add(key, days = []);
            days[day] = days.TryGetValue(day, out var known) ? known + figures : figures;
        }
        foreach (var order in orders)
        {
            day = DayOf(order);
            DemandContribution.Add(order, Add);
        }
        return demand;
    }

    public static int DayOf(OrderEvent order) => (int)(order.Timestamp.UtcTicks / TimeSpan.TicksPerDay - DateTimeOffset.UnixEpoch.UtcTicks / TimeSpan.TicksPerDay);

    /// <summary>The figures of each day with any, by day number.</summary>
    public IReadOnlyDictionary<int, DemandFigures> Days(DemandKey key) => _byKey.TryGetValue(key, out var days) ? days : new Dictionary<int, DemandFigures>();

    /// <summary>Units per day from the first to the last day of the data set, zero where nothing was bought.</summary>
    public double[] Units(DemandKey key)
    {
        var series = new double[LastDay - FirstDay + 1];
        foreach (var (day, figures) in Days(key)) series[day - FirstDay] = figures.Units;
        return series;
    }

    /// <summary>The keys of a level, by revenue over the whole data set, highest first.</summary>
    public IReadOnlyList<DemandKey> ByRevenue(string level) =>
        [.. _byKey.Where(k => k.Key.Level == level).OrderByDescending(k => k.Value.Values.Sum(f => f.Revenue)).ThenBy(k => k.Key.Key, StringComparer.Ordinal).Select(k => k.Key)];
}
