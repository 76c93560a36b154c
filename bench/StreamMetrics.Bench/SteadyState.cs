namespace StreamMetrics.Bench;

/// <summary>
/// The rate of a run between 10 % and 90 % of its input, and when all of it was done: so that a short run's start-up
/// and tail (a bounded worker's last windows, final fit, checkpoint and commit) weigh nothing in the rate, and the
/// tail is reported on its own.
/// </summary>
/// <remarks>
/// Progress is observed now and then (a worker's applied orders move a batch at a time), so the moment a mark was
/// passed is interpolated between the observations before and after it.
/// </remarks>
public sealed class SteadyState(long total)
{
    private const double From = 0.1, To = 0.9;
    private (long Done, TimeSpan At) _last;
    private TimeSpan? _atFrom, _atTo, _atAll;

    /// <summary>Records that <paramref name="done"/> of the input were done at <paramref name="at"/>, the time since the run started.</summary>
    public void Observe(long done, TimeSpan at)
    {
        if (done <= _last.Done) return;
        _atFrom ??= Passed(From * total, done, at);
        _atTo ??= Passed(To * total, done, at);
        _atAll ??= Passed(total, done, at);
        _last = (done, at);
    }

    /// <summary>Items a second between the 10 % and the 90 % marks; NaN until both are passed.</summary>
    public double Rate => _atFrom is { } from && _atTo is { } to ? (To - From) * total / (to - from).TotalSeconds : double.NaN;

    /// <summary>When all of the input was done; null when it never was.</summary>
    public TimeSpan? AllDoneAt => _atAll;

    private TimeSpan? Passed(double mark, long done, TimeSpan at) =>
        done < mark ? null : _last.At + (at - _last.At) * ((mark - _last.Done) / (done - _last.Done));
}
