using StreamMetrics.Core.Churn;

namespace StreamMetrics.Core.Segments;

/// <summary>
/// What one customer adds to its segments' figures for one closed period; who it is and what it has
/// been worth (<see cref="RevenueTotal"/>) rank it among the at-risk customers (<see cref="ChurnOverview"/>).
/// </summary>
/// <param name="Clv12m">The customer's <c>clv_12m</c> as its <c>customer_metrics</c> point carries it; null before a purchase and a spend model are fitted.</param>
public readonly record struct SegmentContribution(
    string RfmSegment,
    string? Region,
    string? Channel,
    ChurnState State,
    long Orders,
    decimal Revenue,
    bool BecameNew,
    bool Reactivated,
    string CustomerId,
    decimal RevenueTotal,
    double? PAlive,
    double? DaysSinceLastOrder,
    double? Clv12m);
