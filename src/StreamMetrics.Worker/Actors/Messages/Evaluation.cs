using StreamMetrics.Core.Customers;

namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>
/// Re-evaluate a customer under the population model at the instant <paramref name="Watermark"/> (a period
/// start, or the end time of a bounded run): its churn state, segment and events, which carry that instant.
/// Its metrics are reported when it bought or changed since the last evaluation, or always when
/// <paramref name="ReportAll"/> is set (the final point of a bounded run). Its activity in the period that
/// just closed (<paramref name="ClosedPeriod"/>) goes to the segment figures. A customer without an order for
/// <paramref name="CustomerRetention"/> is not evaluated but forgotten (<see cref="CustomerWorkDone.PastRetention"/>).
/// </summary>
public sealed record Evaluation(PopulationModel Model, DateTimeOffset Watermark, DateTimeOffset WindowStart, bool ReportAll, long ClosedPeriod,
    TimeSpan CustomerRetention)
{
    /// <summary>The partition fits its next model on the customers as this evaluation sees them: each sends its summary.</summary>
    public bool ForFit { get; init; }
}
