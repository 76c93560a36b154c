namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>How the orders of one command were counted; <paramref name="AlreadyApplied"/> are those a restored customer skipped by offset.</summary>
public readonly record struct OrderCounts(int Applied, int Duplicates, int Late, int AlreadyApplied = 0);
