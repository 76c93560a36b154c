using StreamMetrics.Core.Churn;

namespace StreamMetrics.Core.Segments;

/// <summary>What one customer adds to its segments' figures for one closed period.</summary>
public readonly record struct SegmentContribution(
    string RfmSegment,
    string? Region,
    string? Channel,
    ChurnState State,
    long Orders,
    decimal Revenue,
    bool BecameNew,
    bool Reactivated);
