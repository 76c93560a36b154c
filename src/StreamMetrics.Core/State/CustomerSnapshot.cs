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

    public byte[] Encode()
    {
        var writer = new SnapshotWriter();
        writer.WriteByte(Version);
        writer.WriteVarUInt((ulong)(LastAppliedOffset + 1));
        Tracker.WriteTo(writer);
        State.WriteTo(writer);
        return writer.ToArray();
    }

    /// <summary>Reads <see cref="Encode"/>'s bytes; throws <see cref="InvalidDataException"/> for anything else.</summary>
    public static CustomerSnapshot Decode(string customerId, ReadOnlySpan<byte> bytes, PeriodWindows windows, TimeSpan retention)
    {
        var reader = new SnapshotReader(bytes);
        var version = reader.ReadByte();
        if (version != Version) throw new InvalidDataException($"customer snapshot has version {version}; this build reads version {Version}");
        var lastAppliedOffset = (long)reader.ReadVarUInt() - 1;
        var tracker = CustomerTracker.ReadFrom(ref reader);
        var state = CustomerState.ReadFrom(ref reader, customerId, windows, retention);
        if (!reader.AtEnd) throw new InvalidDataException("customer snapshot has bytes after its end");
        return new CustomerSnapshot(state, tracker, lastAppliedOffset);
    }
}
