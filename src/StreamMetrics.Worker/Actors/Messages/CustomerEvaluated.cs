using StreamMetrics.Core.Customers;
using StreamMetrics.Core.Segments;

namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>
/// What an <see cref="Evaluation"/> of one customer found: what it adds to its segments' figures, its metrics when
/// they are to be reported, and its summary when the partition fits its next model on this evaluation
/// (<see cref="Evaluation.ForFit"/>).
/// </summary>
public sealed record CustomerEvaluated(SegmentContribution Contribution, CustomerMetrics? Metrics, CustomerSummary? Summary);
