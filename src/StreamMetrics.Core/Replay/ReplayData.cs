using StreamMetrics.Core.Orders;

namespace StreamMetrics.Core.Replay;

/// <summary>The orders of a data file in event-time order, and what was skipped and why.</summary>
public sealed record ReplayData(IReadOnlyList<OrderEvent> Orders, int Skipped, IReadOnlyList<string> Problems);
