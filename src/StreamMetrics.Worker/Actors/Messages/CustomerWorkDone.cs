using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Customers;
using StreamMetrics.Core.Segments;

namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>A customer's answer to <see cref="CustomerWork"/>.</summary>
public sealed record CustomerWorkDone(
    string CustomerId,
    IReadOnlyList<ActivityWindow> Windows,
    int Duplicates,
    IReadOnlyList<RejectedOrder> Rejected,
    IReadOnlyList<CustomerEvent> Events,
    CustomerMetrics? Metrics,
    SegmentContribution? Contribution = null);
