namespace StreamMetrics.Worker.Pipeline;

/// <summary>
/// Lets a demand partition's points land before another worker takes the partition over. A <c>demand</c> point is a
/// running sum written again at the same time stamp, so a former owner's write that lands after the new owner's would
/// take the sum back; on a revoke or a stop, the partition reads nothing more and its last step is waited for.
/// </summary>
/// <remarks>Steps start on the stream's thread; leaving is called from the Kafka source's revoke and from the stop.</remarks>
internal sealed class DemandHandOver
{
    private readonly object _gate = new();
    private readonly Dictionary<int, TaskCompletionSource> _lastStep = new();
    private readonly HashSet<int> _leaving = new();
    private bool _stopping;

    /// <summary>
    /// A step of <paramref name="partition"/> about to be written: <paramref name="committed"/> is to be completed once its
    /// offset is committed. False when the partition is leaving: the next owner reads the batch again.
    /// </summary>
    public bool TryStart(int partition, out TaskCompletionSource committed)
    {
        lock (_gate)
        {
            if (_stopping || _leaving.Contains(partition))
            {
                committed = null!;
                return false;
            }
            committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _lastStep[partition] = committed;
            return true;
        }
    }

    /// <summary>The partitions are assigned (again): their batches are taken.</summary>
    public void Assigned(IEnumerable<int> partitions)
    {
        lock (_gate) _leaving.ExceptWith(partitions);
    }

    /// <summary>The partitions are about to be revoked: completes once the steps they started are committed.</summary>
    public Task LeaveAsync(IReadOnlyList<int> partitions)
    {
        lock (_gate)
        {
            _leaving.UnionWith(partitions);
            return Task.WhenAll(partitions.Select(p => _lastStep.Remove(p, out var last) ? last.Task : Task.CompletedTask));
        }
    }

    /// <summary>The worker stops: completes once every step started is committed.</summary>
    public Task StopAsync()
    {
        lock (_gate)
        {
            _stopping = true;
            return Task.WhenAll(_lastStep.Values.Select(last => last.Task));
        }
    }

    /// <summary>The stream ended: no step still waiting will be committed, and nobody waits for one.</summary>
    public void Ended()
    {
        lock (_gate)
            foreach (var last in _lastStep.Values) last.TrySetResult();
    }
}
