using System.Diagnostics.Tracing;

namespace StreamMetrics.Bench;

/// <summary>
/// How many heaps Server GC collects with, from the runtime's event at the end of each collection. Under DATAS (on by
/// default) the count follows the load, and <see cref="GC.GetTotalAllocatedBytes"/> sums only the heaps in use when it is
/// read: a heap taken out of use takes its bytes out of the sum, and brings them back with it (dotnet/runtime pull
/// request 131069, fixed upstream in July 2026). Bytes allocated between two readings are right only when the count did
/// not change between them.
/// </summary>
/// <remarks>Listens from the bench's start at the informational level: a few events per collection, none per allocation.</remarks>
internal sealed class GcHeapCount : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private int _heaps, _changes;

    public static GcHeapCount Instance { get; } = new();

    /// <summary>How many times the count has changed since the bench started.</summary>
    public int Changes => Volatile.Read(ref _changes);

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Informational, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs written)
    {
        if (written.EventName?.StartsWith("GCGlobalHeapHistory", StringComparison.Ordinal) != true || written.Payload is not { } payload) return;
        var index = written.PayloadNames!.IndexOf("NumHeaps");
        if (index < 0) return;
        var heaps = Convert.ToInt32(payload[index]);
        if (Interlocked.Exchange(ref _heaps, heaps) is var before && before != 0 && before != heaps) Interlocked.Increment(ref _changes);
    }
}
