using StreamMetrics.Core.Customers;

namespace StreamMetrics.Core.Churn;

/// <summary>One customer at a backtest's cut: its metrics there, whether it had bought on two days or more, and whether it then bought nothing in the horizon.</summary>
public sealed record ChurnOutcome(CustomerMetrics Metrics, bool RepeatBuyer, bool NoOrderInHorizon)
{
    /// <summary>The churn states flag it: at risk or churned.</summary>
    public bool Flagged => Metrics.ChurnState is ChurnState.AtRisk or ChurnState.Churned;
}
