using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace StreamMetrics.Bench;

/// <summary>
/// Sums the runtime's allocation samples (one event per ~100 KB allocated, naming the type that crossed
/// the mark) by type, for the bench's <c>--allocations</c>: which types the worker's bytes per order are made of.
/// Only while <see cref="Counting"/>: the steady phase, not the start or the tail.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytes = new();

    public bool Counting { get; set; }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs sample)
    {
        if (!Counting || sample.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || sample.Payload is not { } payload) return;
        var names = sample.PayloadNames!;
        var type = payload[names.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(payload[names.IndexOf("AllocationAmount64")]);
        _bytes.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }

    /// <summary>The types with the largest share of the sampled bytes.</summary>
    public IEnumerable<(string Type, double Share)> Top(int count)
    {
        var total = Math.Max(_bytes.Values.Sum(), 1);
        return _bytes.OrderByDescending(entry => entry.Value).Take(count).Select(entry => (entry.Key, (double)entry.Value / total));
    }
}
