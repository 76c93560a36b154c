namespace StreamMetrics.Worker.Pipeline;

/// <summary>
/// Decides when <c>run --until-caught-up</c> has read every assigned partition up to the end offsets
/// seen at start-up (DESIGN §3).
/// </summary>
public sealed class CatchUpTracker(IReadOnlyDictionary<int, long> endOffsets)
{
    private readonly Dictionary<int, long> _nextToRead = new();

    /// <summary>Where reading of a partition starts or has got to: its committed offset, or the log start.</summary>
    public void Reached(int partition, long nextOffset)
    {
        if (!_nextToRead.TryGetValue(partition, out var known) || nextOffset > known) _nextToRead[partition] = nextOffset;
    }

    /// <summary>
    /// Partitions taken away: how far they were read no longer counts, since their next task reads again from their last
    /// commit, and the run must not end before it has.
    /// </summary>
    public void Forget(IEnumerable<int> partitions)
    {
        foreach (var partition in partitions) _nextToRead.Remove(partition);
    }

    public bool IsCaughtUp(IReadOnlyCollection<int> assignment)
    {
        if (assignment.Count == 0) return false;
        foreach (var partition in assignment)
        {
            var end = endOffsets.GetValueOrDefault(partition);
            if (end > 0 && _nextToRead.GetValueOrDefault(partition) < end) return false;
        }
        return true;
    }
}
