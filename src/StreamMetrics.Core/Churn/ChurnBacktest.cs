using StreamMetrics.Core.Customers;
using StreamMetrics.Core.Orders;
using StreamMetrics.Core.Time;

namespace StreamMetrics.Core.Churn;

/// <summary>
/// Churn states scored against what happened next: a data set is cut at an instant, every customer is evaluated there
/// the way the final snapshot of <c>run --until-caught-up --end-time</c> evaluates it (the same customer state, the same
/// population sample and fit, the same <see cref="CustomerMetrics"/>), and the states are compared with whether the
/// customer bought in the <see cref="ChurnThresholds.HorizonDays"/> days after the cut.
/// </summary>
public static class ChurnBacktest
{
    /// <summary>Every customer who bought before <paramref name="cut"/>, evaluated at the cut, with whether it bought in the horizon after it.</summary>
    public static ChurnBacktestRun Evaluate(IEnumerable<OrderEvent> orders, DateTimeOffset cut, ChurnThresholds thresholds, ChurnModelChoice choice)
    {
        var days = new PeriodWindows(TimeSpan.FromDays(1));
        var horizonEnd = cut.AddDays(ChurnThresholds.HorizonDays);
        var states = new Dictionary<string, CustomerState>(StringComparer.Ordinal);
        var boughtAfter = new HashSet<string>(StringComparer.Ordinal);
        foreach (var order in orders)
        {
            if (order.Timestamp >= cut)
            {
                if (order.Kind == OrderKind.Purchase && order.Timestamp < horizonEnd) boughtAfter.Add(order.CustomerId);
                continue;
            }
            if (!states.TryGetValue(order.CustomerId, out var state))
                states[order.CustomerId] = state = new CustomerState(order.CustomerId, days, Retention);
            state.Apply(order);
        }

        // As the final snapshot does: the sample of the whole population, in customer id order, fitted from the default start.
        var summaries = PopulationSample.Select(states.Values.Select(s => s.Summarize(cut)))
            .OrderBy(c => c.CustomerId, StringComparer.Ordinal).ToList();
        var model = PopulationModel.From(summaries, thresholds, choice);
        var windowStart = days.StartOf(days.IndexOf(cut));
        return new ChurnBacktestRun(model, [.. states.Values.Where(s => s.Purchases > 0).OrderBy(s => s.CustomerId, StringComparer.Ordinal)
            .Select(s => new ChurnOutcome(CustomerMetrics.Of(s, cut, windowStart, model), s.PurchaseDays.Length > 1, !boughtAfter.Contains(s.CustomerId)))]);
    }

    /// <summary>The worker's default <c>Metrics:OrderIdRetention</c>: it bounds the trailing windows, not the purchase history.</summary>
    private static readonly TimeSpan Retention = TimeSpan.FromDays(90);
}

/// <summary>The model fitted at a backtest's cut, and every customer who had bought by then, evaluated under it.</summary>
public sealed record ChurnBacktestRun(PopulationModel Model, IReadOnlyList<ChurnOutcome> Outcomes)
{
    /// <summary>The repeat buyers' score and all customers' against no order in the horizon after the cut.</summary>
    public (ChurnScore RepeatBuyers, ChurnScore AllCustomers) Score() =>
        (ChurnScore.Of([.. Outcomes.Where(o => o.RepeatBuyer)]), ChurnScore.Of(Outcomes));
}
