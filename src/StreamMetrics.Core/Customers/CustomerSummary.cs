using StreamMetrics.Core.Churn;

namespace StreamMetrics.Core.Customers;

/// <summary>
/// What the population models need of one customer at a watermark: its BG/NBD history and its RFM
/// inputs. <see cref="History"/> and <see cref="DaysSinceLastPurchase"/> are null for a customer who
/// has not bought yet; <see cref="FirstRepeatGap"/> (days from the first purchase day to the second) for
/// one who has not bought twice. <see cref="RepeatSpend"/> is what the Gamma-Gamma spend model needs: the
/// purchases of every purchase day but the first, summed (returns not deducted), so that its mean per repeat
/// purchase day is RepeatSpend / History.X.
/// </summary>
public readonly record struct CustomerSummary(
    string CustomerId,
    CustomerHistory? History,
    double? DaysSinceLastPurchase,
    long Purchases,
    decimal NetRevenue,
    double? FirstRepeatGap = null,
    decimal RepeatSpend = 0);
