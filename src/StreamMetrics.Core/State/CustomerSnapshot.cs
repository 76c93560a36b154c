using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Customers;
using StreamMetrics.Core.Time;

namespace StreamMetrics.Core.State;

/// <summary>
/// A customer as it goes to the state changelog and into passivation: its state, where its churn
/// tracking stands, and the offset of the last order applied to it (DESIGN §5).
/// </summary>
/// <remarks>Layout: a version byte, the offset + 1 (0 for none), the tracker, then the state.</remarks>
public sealed record CustomerSnapshot(CustomerState State, CustomerTracker Tracker, long LastAppliedOffset)
{
    public const byte Version = 2;

    public const long NoOffset = -1;

    public byte[] Encode() => Encode(State, Tracker, LastAppliedOffset);

    /// <summary>
    /// The snapshot of a customer's parts, without a <see cref="CustomerSnapshot"/> around them. Written in a writer
    /// of the thread's own: a checkpoint encodes every customer changed since the last one, and only the result is new.
    /// </summary>
    public static byte[] Encode(CustomerState state, CustomerTracker tracker, long lastAppliedOffset)
    {
        var writer = t_writer ??= new SnapshotWriter();
        writer.Clear();
        writer.WriteByte(Version);
        writer.WriteVarUInt((ulong)(lastAppliedOffset + 1));
        tracker.WriteTo(writer);
        state.WriteTo(writer);
        var bytes = writer.ToArray();
        if (writer.Capacity > MaxKeptWriterBytes) t_writer = null; // one customer with a long history is no reason to hold its buffer for ever
        return bytes;
    }

    private const int MaxKeptWriterBytes = 64 * 1024;

    [ThreadStatic]
    private static SnapshotWriter? t_writer;

    /// <summary>Reads <see cref="Encode"/>'s bytes; throws <see cref="InvalidDataException"/> for anything else.</summary>
    public static CustomerSnapshot Decode(string customerId, ReadOnlySpan<byte> bytes, PeriodWindows windows, TimeSpan retention)
    {
        var reader = Open(bytes, out var lastAppliedOffset);
        var tracker = CustomerTracker.ReadFrom(ref reader);
        var state = CustomerState.ReadFrom(ref reader, customerId, windows, retention);
        EnsureAtEnd(ref reader);
        return new CustomerSnapshot(state, tracker, lastAppliedOffset);
    }

    /// <summary>
    /// Adds the periods of the customer's pending windows to <paramref name="pending"/>, refusing what <see cref="Decode"/>
    /// refuses without building the customer: a restore needs no more of a passivated customer until it comes back.
    /// </summary>
    public static void AddPendingWindows(string customerId, ReadOnlySpan<byte> bytes, PendingPeriods pending)
    {
        var reader = Open(bytes, out _);
        CustomerTracker.Skip(ref reader);
        CustomerState.ReadPendingWindows(ref reader, customerId, pending);
        EnsureAtEnd(ref reader);
    }

    private static SnapshotReader Open(ReadOnlySpan<byte> bytes, out long lastAppliedOffset)
    {
        var reader = new SnapshotReader(bytes);
        var version = reader.ReadByte();
        if (version != Version) throw new InvalidDataException($"customer snapshot has version {version}; this build reads version {Version}");
        lastAppliedOffset = (long)reader.ReadVarUInt() - 1;
        return reader;
    }

    private static void EnsureAtEnd(ref SnapshotReader reader)
    {
        if (!reader.AtEnd) throw new InvalidDataException("customer snapshot has bytes after its end");
    }
}
