namespace StreamMetrics.Core.Time;

/// <summary>Tumbling event-time windows aligned to UTC midnight (DESIGN §3).</summary>
/// <remarks>
/// A window is named by its index: the number of whole periods between the Unix epoch and its start.
/// Periods that divide a day stay aligned to midnight; longer periods align to the epoch, which is
/// itself a UTC midnight.
/// </remarks>
public readonly record struct PeriodWindows
{
    private readonly long _periodTicks;

    public PeriodWindows(TimeSpan period)
    {
        if (period <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(period), period, "A period must be positive.");
        if (period < TimeSpan.FromDays(1) ? TimeSpan.TicksPerDay % period.Ticks != 0 : period.Ticks % TimeSpan.TicksPerDay != 0)
            throw new ArgumentOutOfRangeException(nameof(period), period,
                "A period must divide a day or be a whole number of days, so that windows stay aligned to UTC midnight.");
        _periodTicks = period.Ticks;
    }

    public TimeSpan Period => TimeSpan.FromTicks(_periodTicks);

    /// <summary>Index of the window holding an instant.</summary>
    public long IndexOf(DateTimeOffset instant) =>
        Math.DivRem(instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks, _periodTicks, out var rest) - (rest < 0 ? 1 : 0);

    public DateTimeOffset StartOf(long index) => DateTimeOffset.UnixEpoch.AddTicks(index * _periodTicks);

    public DateTimeOffset EndOf(long index) => StartOf(index + 1);
}
