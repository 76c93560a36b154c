using StreamMetrics.Core.State;

namespace StreamMetrics.Core.Time;

/// <summary>
/// A partition's event-time watermark: the maximum event time seen, less the allowed lateness, and
/// advanced by wall-clock time while the partition is idle (DESIGN §3).
/// </summary>
/// <remarks>
/// The wall clock is never read here: idle time is passed in by the caller, so the same sequence of
/// calls always gives the same watermark.
/// </remarks>
public sealed class Watermark
{
    private readonly TimeSpan _allowedLateness;
    private readonly TimeSpan _idleTimeout;
    private DateTimeOffset? _maxEventTime;
    private TimeSpan _idleAdvance;

    public Watermark(TimeSpan allowedLateness, TimeSpan idleTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(allowedLateness, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(idleTimeout, TimeSpan.Zero);
        _allowedLateness = allowedLateness;
        _idleTimeout = idleTimeout;
    }

    /// <summary>The largest event time seen, plus the current idle advance; null before the first event.</summary>
    public DateTimeOffset? MaxEventTime => _maxEventTime is { } max ? Add(max, _idleAdvance) : null;

    /// <summary>The current watermark, or null before the first event.</summary>
    public DateTimeOffset? Current => MaxEventTime is { } max ? Add(max, -_allowedLateness) : null;

    /// <summary>Takes an event into account: the idle advance so far is kept, and idle time counts anew.</summary>
    public void Observe(DateTimeOffset eventTime)
    {
        var reached = MaxEventTime;
        _maxEventTime = reached is null || eventTime > reached ? eventTime : reached;
        _idleAdvance = TimeSpan.Zero;
    }

    /// <summary>
    /// Called with the wall-clock time since the partition's last record. Once it reaches the idle
    /// timeout, the watermark runs ahead by all of that time, never by jumping to the wall clock's date.
    /// </summary>
    public void AdvanceIdle(TimeSpan idleFor)
    {
        if (_maxEventTime is not null && idleFor >= _idleTimeout && idleFor > _idleAdvance) _idleAdvance = idleFor;
    }

    /// <summary>Moves the watermark to at least <paramref name="instant"/> (<c>run --end-time</c>).</summary>
    public void AdvanceTo(DateTimeOffset instant)
    {
        if (Current >= instant) return;
        _maxEventTime = Add(instant, _allowedLateness);
        _idleAdvance = TimeSpan.Zero;
    }

    internal void WriteTo(SnapshotWriter writer)
    {
        writer.WriteVarUInt(_maxEventTime is { } max ? (ulong)max.UtcTicks + 1 : 0);
        writer.WriteVarUInt((ulong)_idleAdvance.Ticks);
    }

    internal void RestoreFrom(ref SnapshotReader reader)
    {
        var max = reader.ReadVarUInt();
        var idle = reader.ReadVarUInt();
        if (max > (ulong)DateTimeOffset.MaxValue.UtcTicks + 1 || idle > (ulong)TimeSpan.MaxValue.Ticks)
            throw new InvalidDataException("partition snapshot holds a watermark beyond the year 9999");
        // The idle advance so far is kept as event time, as a record would keep it: the restoring owner's idle
        // clock starts again at zero from the restore, and its advance adds to this one instead of having to outgrow it.
        _maxEventTime = max == 0 ? null : Add(new DateTimeOffset((long)max - 1, TimeSpan.Zero), new TimeSpan((long)idle));
        _idleAdvance = TimeSpan.Zero;
    }

    private static DateTimeOffset Add(DateTimeOffset instant, TimeSpan span)
    {
        var ticks = instant.UtcTicks + span.Ticks;
        if (ticks < DateTimeOffset.MinValue.UtcTicks) return DateTimeOffset.MinValue;
        if (ticks > DateTimeOffset.MaxValue.UtcTicks) return DateTimeOffset.MaxValue;
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }
}
