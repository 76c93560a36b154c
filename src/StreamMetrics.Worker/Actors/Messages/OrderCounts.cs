namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>
/// How the orders of one command were counted; <paramref name="AlreadyApplied"/> are those a restored
/// customer skipped by offset, <paramref name="DemandTooLate"/> those applied to their customer but too
/// late for their demand period, which was no longer kept.
/// </summary>
public readonly record struct OrderCounts(int Applied, int Duplicates, int Late, int AlreadyApplied = 0, int DemandTooLate = 0);
