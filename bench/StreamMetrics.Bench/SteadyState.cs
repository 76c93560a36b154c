namespace StreamMetrics.Bench;

/// <summary>
/// The rate of a run between 10 % and 90 % of its input, and when all of it was done: so that a short run's start-up
/// and tail (a bounded worker's last windows, final fit, checkpoint and commit) weigh nothing in the rate, and the
/// tail is reported on its own.
/// </summary>
/// <remarks>
/// Progress is observed now and then (a worker's applied orders move a batch at a time, and in a small run one jump can
/// pass both marks), so the moment a mark was passed, and the bytes allocated by then, are interpolated between the
/// observations before and after it. The process's CPU time is followed the same way: a rate says how fast, the CPU
/// time an item what it cost, whatever the number of cores that did the work.
/// </remarks>
public sealed class SteadyState(long total)
{
    private const double From = 0.1, To = 0.9;
    private (long Done, TimeSpan At, long Allocated, TimeSpan Cpu) _last;
    private (TimeSpan At, double Allocated, TimeSpan Cpu)? _atFrom, _atTo, _atAll;

    /// <summary>
    /// Records that <paramref name="done"/> of the input were done at <paramref name="at"/>, the time since the run started,
    /// <paramref name="allocated"/> bytes had been allocated and <paramref name="cpu"/> of CPU time spent since then.
    /// </summary>
    public void Observe(long done, TimeSpan at, long allocated = 0, TimeSpan cpu = default)
    {
        if (done <= _last.Done) return;
        _atFrom ??= Passed(From * total, done, at, allocated, cpu);
        _atTo ??= Passed(To * total, done, at, allocated, cpu);
        _atAll ??= Passed(total, done, at, allocated, cpu);
        _last = (done, at, allocated, cpu);
    }

    /// <summary>Items a second between the 10 % and the 90 % marks; NaN until both are passed.</summary>
    public double Rate => _atFrom is { } from && _atTo is { } to ? (To - From) * total / (to.At - from.At).TotalSeconds : double.NaN;

    /// <summary>Bytes allocated an item between the 10 % and the 90 % marks; NaN until both are passed.</summary>
    public double AllocatedPerItem => _atFrom is { } from && _atTo is { } to ? (to.Allocated - from.Allocated) / ((To - From) * total) : double.NaN;

    /// <summary>Microseconds of the process's CPU time an item between the 10 % and the 90 % marks, all threads; NaN until both are passed.</summary>
    public double CpuMicrosecondsPerItem => _atFrom is { } from && _atTo is { } to ? (to.Cpu - from.Cpu).TotalMicroseconds / ((To - From) * total) : double.NaN;

    /// <summary>Whether the 10 % mark is passed and the 90 % mark is not.</summary>
    public bool Between => _atFrom is not null && _atTo is null;

    /// <summary>When all of the input was done; null when it never was.</summary>
    public TimeSpan? AllDoneAt => _atAll?.At;

    private (TimeSpan At, double Allocated, TimeSpan Cpu)? Passed(double mark, long done, TimeSpan at, long allocated, TimeSpan cpu)
    {
        if (done < mark) return null;
        var share = (mark - _last.Done) / (done - _last.Done);
        return (_last.At + (at - _last.At) * share, _last.Allocated + (allocated - _last.Allocated) * share, _last.Cpu + (cpu - _last.Cpu) * share);
    }
}
