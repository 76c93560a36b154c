using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Forecasting;
using StreamMetrics.Core.Segments;
using StreamMetrics.Influx.Writing;
using StreamMetrics.Worker.Pipeline;

namespace StreamMetrics.Worker.Observability.Live;

/// <summary>
/// What the live view shows, as <c>/api/live</c> serves it: the figures of <c>/metrics</c> at the same
/// moment (orders, lag, recommended replicas, customers, InfluxDB), with the throughput of the last
/// minutes, churn states per closed period, the most valuable at-risk customers, the segments ranked by CLV, and
/// demand with forecasts on one time axis; <see cref="Problem"/> says why the lag may be stale.
/// </summary>
/// <param name="OffsetsReadAt">When the group's committed and end offsets in <paramref name="Partitions"/> were read from the cluster.</param>
/// <param name="OwnersUnknown">Why the cluster could not name the partitions' owners, as a short phrase; null when it did.</param>
/// <param name="Segments">The <see cref="SegmentsShown"/> most valuable segments of every scheme, of the newest period every owned partition has closed; null before one has.</param>
/// <param name="DemandDays">The days every demand chart spans, so that their dates line up; null while no day has closed.</param>
public sealed record LiveFigures(
    DateTimeOffset At,
    string Worker,
    OrderFigures Orders,
    IReadOnlyList<ThroughputPoint> Throughput,
    IReadOnlyList<LagFigure> Partitions,
    DateTimeOffset? OffsetsReadAt,
    string? OwnersUnknown,
    ScalingFigure Scaling,
    CustomerFigures Customers,
    IReadOnlyList<ChurnFigure> Churn,
    IReadOnlyList<AtRiskCustomer> AtRisk,
    SegmentRanking? Segments,
    IReadOnlyList<DemandFigure> Demand,
    DemandAxis? DemandDays,
    InfluxFigures? Influx,
    string? Problem)
{
    public const int RegionsShown = 6;

    public const int SegmentsShown = 20;

    public static LiveFigures Gather(DateTimeOffset at, WorkerMetrics metrics, PipelineStats stats, InfluxWriterCounters? influx, ThroughputHistory throughput)
    {
        var owned = stats.AssignedPartitions;
        var lag = metrics.LastLag;
        var demand = stats.Demand.Busiest(RegionsShown).Select(DemandFigure.From).ToList();
        return new LiveFigures(
            at,
            Environment.MachineName,
            new OrderFigures(stats.OrdersApplied, stats.DeadLetters, stats.Duplicates, stats.LateOrders),
            throughput.Rates(),
            lag?.Partitions.Select(p => new LagFigure(p.Partition, p.Committed, p.End, p.Lag, p.LagSeconds, p.Owner, owned.Contains(p.Partition))).ToList() ?? [],
            lag?.At,
            lag?.OwnersUnknown,
            new ScalingFigure(metrics.LastRecommendation?.Replicas ?? 0, metrics.LastRecommendation?.Reason),
            new CustomerFigures(stats.Customers - stats.PassivatedCustomers, stats.PassivatedCustomers),
            stats.Churn.Totals(owned).Select(ChurnFigure.From).ToList(),
            stats.Churn.TopAtRisk(owned),
            stats.Segments.MostValuable(owned) is { } segments ? segments with { ByClv = [.. segments.ByClv.Take(SegmentsShown)] } : null,
            demand,
            DemandAxis.Spanning(demand),
            influx is null ? null : new InfluxFigures(influx.Acked, influx.Rejected, influx.Buffered, influx.LastWriteProblem),
            metrics.LagProblem);
    }
}

public sealed record OrderFigures(long Applied, long DeadLettered, long Duplicate, long Late);

/// <param name="Committed">The group's committed offset as read from the cluster; null while the group has committed none on the partition.</param>
/// <param name="Owner">The member the cluster names as owner; null when it names none or cannot describe the group.</param>
/// <param name="OwnedHere">Whether this worker reads the partition, by its own assignment.</param>
public sealed record LagFigure(int Partition, long? Committed, long End, long Lag, double LagSeconds, string? Owner, bool OwnedHere);

public sealed record ScalingFigure(int RecommendedReplicas, string? Reason);

public sealed record CustomerFigures(long Live, long Passivated);

public sealed record InfluxFigures(long Acked, long Rejected, long Buffered, string? LastWriteProblem);

public sealed record ChurnFigure(DateTimeOffset PeriodStart, long New, long Active, long AtRisk, long Churned)
{
    public static ChurnFigure From(ChurnPeriod period) =>
        new(period.PeriodStart, period.CustomersByState[ChurnState.New], period.CustomersByState[ChurnState.Active],
            period.CustomersByState[ChurnState.AtRisk], period.CustomersByState[ChurnState.Churned]);
}

public sealed record DemandFigure(string Level, string Key, IReadOnlyList<DemandDay> Days, IReadOnlyList<DemandForecastDay> Forecast)
{
    public static DemandFigure From(DemandSeries series) =>
        new(series.Key.Level, series.Key.Key,
            series.Days.Select(day => new DemandDay(day.Day, day.Units)).ToList(),
            series.FirstForecastDay is { } first
                ? series.Forecast.Select(f => new DemandForecastDay(first.AddDays(f.Horizon - 1), f.Forecast, f.Lower80, f.Upper80)).ToList()
                : []);
}

public sealed record DemandDay(DateTimeOffset Day, double Units);

/// <summary>
/// The first and last day over every demand series shown, actual or forecast: the one time axis all demand charts
/// share, since a region whose first order came later than the total's would otherwise be drawn over other dates.
/// </summary>
public sealed record DemandAxis(DateTimeOffset From, DateTimeOffset To)
{
    public static DemandAxis? Spanning(IReadOnlyList<DemandFigure> demand)
    {
        var days = demand.SelectMany(series => series.Days.Select(d => d.Day).Concat(series.Forecast.Select(f => f.Day))).ToList();
        return days.Count == 0 ? null : new DemandAxis(days.Min(), days.Max());
    }
}

public sealed record DemandForecastDay(DateTimeOffset Day, double Forecast, double Lower80, double Upper80);
