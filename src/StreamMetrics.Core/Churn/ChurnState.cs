namespace StreamMetrics.Core.Churn;

/// <summary>Where a customer stands: the churn states of the <c>churn_state</c> tag.</summary>
public enum ChurnState
{
    None,
    New,
    Active,
    AtRisk,
    Churned,
}
