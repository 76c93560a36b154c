namespace StreamMetrics.Core.Forecasting;

/// <summary>
/// Makes one horizon's forecasts of a total and its children coherent: the total equals the sum of the
/// children of each group (regions, categories), and no child is negative, so the total is never below a
/// child. MinT with a diagonal covariance, WLS by variance (Hyndman and Athanasopoulos, Forecasting:
/// Principles and Practice, 3rd ed., §11.3; Wickramasuriya, Athanasopoulos and Hyndman 2019).
/// </summary>
/// <remarks>
/// <para>
/// The reconciled forecasts x minimise Σ (x − ŷ)² / v over the coherent ones, where ŷ are the base forecasts
/// and v the variances of their errors. With Lagrange multipliers λ, one per group: x_total = ŷ_total −
/// v_total·Σλ and x_child = ŷ_child + v_child·λ_group, so each series absorbs the incoherence in proportion to
/// its variance: the series forecast worst move most. The multipliers solve (v_total·11ᵀ + diag(V))λ = d,
/// with d_g = ŷ_total − Σ ŷ of group g and V_g the sum of its variances, in closed form (Sherman–Morrison).
/// </para>
/// <para>
/// A child pushed below zero is held at zero and the rest reconciled again, until none is (an active-set
/// step towards non-negative reconciliation, Wickramasuriya, Turlach and Hyndman 2020). A group's
/// remainder (the total less its children's sum: orders without a region) is one of its children, so
/// the group can be coherent however few of the total's units its named children hold.
/// </para>
/// <para>
/// Each series keeps its base forecast's standard deviation around the reconciled point: the reconciled
/// variance MinT implies assumes independent base errors, which the total and its biggest region are not,
/// and would narrow the bands below what the forecasts achieve.
/// </para>
/// </remarks>
public static class Reconciliation
{
    /// <summary>
    /// The reconciled forecasts of one horizon: the total, then each group's children in the order given. Every
    /// forecast needs <see cref="DayForecast.Sd"/> &gt; 0.
    /// </summary>
    public static (DayForecast Total, IReadOnlyList<IReadOnlyList<DayForecast>> Groups) Reconcile(
        DayForecast total, IReadOnlyList<IReadOnlyList<DayForecast>> groups)
    {
        var points = Reconcile(total.Forecast, Variance(total), [.. groups.Select(g => g.Select(f => (f.Forecast, Variance(f))).ToArray())]);
        return (Reconciled(total, points.Total),
            [.. groups.Select((g, i) => (IReadOnlyList<DayForecast>)[.. g.Select((f, j) => Reconciled(f, points.Children[i][j]))])]);
    }

    /// <summary>The reconciled points of a total and its groups of children, from base points and error variances.</summary>
    public static (double Total, double[][] Children) Reconcile(double total, double totalVariance, IReadOnlyList<(double Point, double Variance)[]> groups)
    {
        var held = groups.Select(g => new bool[g.Length]).ToArray();
        var children = groups.Select(g => new double[g.Length]).ToArray();
        while (true)
        {
            // λ_g = (d_g − v_total·S) / V_g with S = Σλ = (Σ d_g/V_g) / (1 + v_total·Σ 1/V_g).
            var (ratioSum, inverseSum) = (0.0, 0.0);
            var gap = new double[groups.Count];
            var variance = new double[groups.Count];
            for (var g = 0; g < groups.Count; g++)
            {
                gap[g] = total;
                for (var i = 0; i < groups[g].Length; i++)
                {
                    if (held[g][i]) continue;
                    gap[g] -= groups[g][i].Point;
                    variance[g] += groups[g][i].Variance;
                }
                if (variance[g] <= 0) return (0, [.. groups.Select(group => new double[group.Length])]); // every child held at zero: so is the total
                ratioSum += gap[g] / variance[g];
                inverseSum += 1 / variance[g];
            }
            var multiplierSum = ratioSum / (1 + totalVariance * inverseSum);
            var negative = false;
            for (var g = 0; g < groups.Count; g++)
            {
                var multiplier = (gap[g] - totalVariance * multiplierSum) / variance[g];
                for (var i = 0; i < groups[g].Length; i++)
                {
                    if (held[g][i]) continue;
                    children[g][i] = groups[g][i].Point + groups[g][i].Variance * multiplier;
                    if (children[g][i] >= 0) continue;
                    (held[g][i], children[g][i], negative) = (true, 0, true);
                }
            }
            if (!negative) return (total - totalVariance * multiplierSum, children);
        }
    }

    private static double Variance(DayForecast forecast) =>
        forecast.Sd > 0 ? forecast.Sd * forecast.Sd : throw new ArgumentException($"forecast for horizon {forecast.Horizon} has no standard deviation", nameof(forecast));

    private static DayForecast Reconciled(DayForecast unreconciled, double point) =>
        DayForecast.Around(unreconciled.Horizon, unreconciled.Method, Math.Max(0, point), unreconciled.Sd);
}
