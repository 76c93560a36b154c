using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Segments;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>
/// The churn overviews partitions produce as their periods close, kept for the live view and
/// <c>/metrics</c>: each partition's state counts over its last periods, and its latest at-risk ranking.
/// Safe to use from any thread.
/// </summary>
public sealed class ChurnTimeline
{
    private readonly Lock _lock = new();
    private readonly PeriodsByPartition<IReadOnlyDictionary<ChurnState, long>> _counts = new(periodsKept: 120);
    private readonly Dictionary<int, ChurnOverview> _latest = new();

    public void Record(int partition, ChurnOverview overview)
    {
        lock (_lock)
        {
            _counts.Record(partition, overview.PeriodStart, overview.CustomersByState);
            if (!_latest.TryGetValue(partition, out var latest) || latest.PeriodStart <= overview.PeriodStart) _latest[partition] = overview;
        }
    }

    /// <summary>
    /// State counts per period, summed over <paramref name="partitions"/>; only periods that every one of them
    /// with data has closed, so that no sum misses a partition that is merely behind.
    /// </summary>
    public IReadOnlyList<ChurnPeriod> Totals(IReadOnlyCollection<int> partitions)
    {
        lock (_lock)
        {
            return _counts.Common(partitions)
                .Select(period => new ChurnPeriod(period.PeriodStart,
                    ChurnOverview.States.ToDictionary(state => state, state => period.ByPartition.Sum(counts => counts[state]))))
                .ToList();
        }
    }

    /// <summary>The last of <see cref="Totals"/>, or null when no period is closed on every partition with data.</summary>
    public ChurnPeriod? Latest(IReadOnlyCollection<int> partitions) => Totals(partitions).LastOrDefault();

    /// <summary>The most valuable at-risk customers of <paramref name="partitions"/>, each as of its partition's last closed period.</summary>
    public IReadOnlyList<AtRiskCustomer> TopAtRisk(IReadOnlyCollection<int> partitions)
    {
        lock (_lock)
        {
            return AtRiskCustomer.MostValuable(partitions.Where(_latest.ContainsKey).SelectMany(p => _latest[p].TopAtRisk));
        }
    }
}

/// <summary>How many customers stood in each churn state when a period closed.</summary>
public sealed record ChurnPeriod(DateTimeOffset PeriodStart, IReadOnlyDictionary<ChurnState, long> CustomersByState);
