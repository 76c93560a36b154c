namespace StreamMetrics.Kafka.Logging;

/// <summary>
/// Lets the first of a kind of message through, then at most one per <see cref="Window"/>, telling how many
/// it held back: librdkafka repeats a connection failure every few milliseconds for as long as it lasts.
/// </summary>
public sealed class RepeatFilter(TimeSpan window, TimeProvider time)
{
    // Kinds are normalized messages; a bound keeps an endless variety of them from growing the table.
    private const int MaxKinds = 1000;

    private readonly Dictionary<string, (DateTimeOffset LastShown, int HeldBack)> _kinds = new(StringComparer.Ordinal);

    public TimeSpan Window => window;

    /// <summary>True when a message of this kind is to be logged now; <paramref name="heldBack"/> counts those held back since the last one shown.</summary>
    public bool ShouldLog(string kind, out int heldBack)
    {
        var now = time.GetUtcNow();
        lock (_kinds)
        {
            if (_kinds.TryGetValue(kind, out var seen) && now - seen.LastShown < window)
            {
                _kinds[kind] = seen with { HeldBack = seen.HeldBack + 1 };
                heldBack = 0;
                return false;
            }
            if (_kinds.Count >= MaxKinds) _kinds.Clear();
            heldBack = seen.HeldBack;
            _kinds[kind] = (now, 0);
            return true;
        }
    }
}
