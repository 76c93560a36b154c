namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>How the orders of one command were counted.</summary>
public readonly record struct OrderCounts(int Applied, int Duplicates, int Late);
