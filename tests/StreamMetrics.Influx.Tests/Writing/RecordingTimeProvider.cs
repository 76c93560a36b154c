namespace StreamMetrics.Influx.Tests.Writing;

/// <summary>
/// A clock whose waits end at once but are written down, so back-off and Retry-After can be checked
/// exactly without a test ever sleeping.
/// </summary>
public sealed class RecordingTimeProvider : TimeProvider
{
    private readonly List<TimeSpan> _waits = [];

    public IReadOnlyList<TimeSpan> Waits { get { lock (_waits) return [.. _waits]; } }

    /// <summary>Waits this long or longer are shortened to nothing; shorter ones (the flush interval) run as asked.</summary>
    public TimeSpan RecordFrom { get; init; } = TimeSpan.FromMilliseconds(150);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime < RecordFrom) return System.CreateTimer(callback, state, dueTime, period);
        lock (_waits) _waits.Add(dueTime);
        return System.CreateTimer(callback, state, TimeSpan.FromMilliseconds(1), period);
    }
}
