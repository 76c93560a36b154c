namespace StreamMetrics.Worker.Pipeline;

/// <summary>
/// Waits for a partition's answer and fails once the partition has had <c>StallTimeout</c> of running time
/// without giving it. A pause of the whole process (SIGSTOP, a suspended VM) does not count: the partition could
/// not run either, and on waking it answers at once, so a plain timeout would fail a worker that was only frozen.
/// </summary>
public sealed class StallGuard(TimeSpan stallTimeout, TimeProvider time)
{
    /// <exception cref="TimeoutException">No answer within the stall timeout; <paramref name="what"/> names what was asked of whom.</exception>
    public async Task<T> WaitAsync<T>(Task<T> answer, Func<string> what)
    {
        var running = new RunningTime(time);
        while (true)
        {
            try
            {
                return await answer.WaitAsync(RunningTime.CheckInterval, time);
            }
            catch (TimeoutException)
            {
                // The answer came as the check fired (after a pause, everything fires at once), or is itself a failure to pass on.
                if (answer.IsCompleted) return await answer;
                if (running.Measure() >= stallTimeout)
                    throw new TimeoutException($"{what()} within StallTimeout {stallTimeout}; stopping without committing past it, so that its records are read again");
            }
        }
    }
}

/// <summary>Time that passed while the process ran, measured about every <see cref="CheckInterval"/>: a gap far longer than that was a pause.</summary>
public sealed class RunningTime(TimeProvider time)
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    // A check this late was held up by a pause of the process, not by what it waits for: it counts as one interval.
    private static readonly TimeSpan PauseThreshold = TimeSpan.FromSeconds(5);

    private long _lastCheck = time.GetTimestamp();
    private TimeSpan _running;

    /// <summary>The running time since this was created, up to now.</summary>
    public TimeSpan Measure()
    {
        var now = time.GetTimestamp();
        var sinceLastCheck = time.GetElapsedTime(_lastCheck, now);
        _lastCheck = now;
        _running += sinceLastCheck < PauseThreshold ? sinceLastCheck : CheckInterval;
        return _running;
    }
}
