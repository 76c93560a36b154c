using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Forecasting;
using StreamMetrics.Core.Segments;
using StreamMetrics.Influx.Writing;
using StreamMetrics.Worker.Pipeline;

namespace StreamMetrics.Worker.Observability.Live;

/// <summary>
/// What the live view shows, as <c>/api/live</c> serves it: the figures of <c>/metrics</c> at the same
/// moment (orders, lag, recommended replicas, customers, InfluxDB), with the throughput of the last
/// minutes, churn states per closed period, the most valuable at-risk customers, and demand with forecasts;
/// <see cref="Problem"/> says why the lag may be stale.
/// </summary>
public sealed record LiveFigures(
    DateTimeOffset At,
    string Worker,
    OrderFigures Orders,
    IReadOnlyList<ThroughputPoint> Throughput,
    IReadOnlyList<LagFigure> Partitions,
    string? OwnersUnknown,
    ScalingFigure Scaling,
    CustomerFigures Customers,
    IReadOnlyList<ChurnFigure> Churn,
    IReadOnlyList<AtRiskCustomer> AtRisk,
    IReadOnlyList<DemandFigure> Demand,
    InfluxFigures? Influx,
    string? Problem)
{
    public const int RegionsShown = 6;

    public static LiveFigures Gather(DateTimeOffset at, WorkerMetrics metrics, PipelineStats stats, InfluxWriterCounters? influx, ThroughputHistory throughput)
    {
        var owned = stats.AssignedPartitions;
        var lag = metrics.LastLag;
        return new LiveFigures(
            at,
            Environment.MachineName,
            new OrderFigures(stats.OrdersApplied, stats.DeadLetters, stats.Duplicates, stats.LateOrders),
            throughput.Rates(),
            lag?.Partitions.Select(p => new LagFigure(p.Partition, p.Committed, p.End, p.Lag, p.LagSeconds, p.Owner, owned.Contains(p.Partition))).ToList() ?? [],
            lag?.OwnersUnknown,
            new ScalingFigure(metrics.LastRecommendation?.Replicas ?? 0, metrics.LastRecommendation?.Reason),
            new CustomerFigures(stats.Customers - stats.PassivatedCustomers, stats.PassivatedCustomers),
            stats.Churn.Totals(owned).Select(ChurnFigure.From).ToList(),
            stats.Churn.TopAtRisk(owned),
            stats.Demand.Busiest(RegionsShown).Select(DemandFigure.From).ToList(),
            influx is null ? null : new InfluxFigures(influx.Acked, influx.Rejected, influx.Buffered, influx.LastWriteProblem),
            metrics.LagProblem);
    }
}

public sealed record OrderFigures(long Applied, long DeadLettered, long Duplicate, long Late);

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

public sealed record DemandForecastDay(DateTimeOffset Day, double Forecast, double Lower80, double Upper80);
