using StreamMetrics.Core.Churn;

namespace StreamMetrics.Core.Customers;

/// <summary>
/// What the population models need of one customer at a watermark: its BG/NBD history and its RFM
/// inputs. <see cref="History"/> and <see cref="DaysSinceLastPurchase"/> are null for a customer who
/// has not bought yet; <see cref="FirstRepeatGap"/> (days from the first purchase day to the second) for
/// one who has not bought twice.
/// </summary>
public readonly record struct CustomerSummary(
    string CustomerId,
    CustomerHistory? History,
    double? DaysSinceLastPurchase,
    long Purchases,
    decimal NetRevenue,
    double? FirstRepeatGap = null);
