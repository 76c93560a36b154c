using StreamMetrics.Core.State;

namespace StreamMetrics.Core.Demand;

/// <summary>
/// An orders partition's word to every partition of the demand topic that its demand periods before
/// <see cref="FirstOpenPeriod"/> are closed: sent after their partials, so a summing worker knows a day
/// is complete once every orders partition has said so (a watermark broadcast, as stream processors
/// propagate event time through a repartition).
/// </summary>
public sealed record DemandWatermark(int SourcePartition, long FirstOpenPeriod)
{
    public const byte Version = 2;

    public byte[] EncodeValue()
    {
        var writer = new SnapshotWriter();
        writer.WriteByte(Version);
        writer.WriteVarUInt((ulong)SourcePartition);
        writer.WriteVarInt(FirstOpenPeriod);
        return writer.ToArray();
    }

    /// <summary>True when <paramref name="value"/> is a watermark record rather than a partial.</summary>
    public static bool Is(ReadOnlySpan<byte> value) => !value.IsEmpty && value[0] == Version;

    public static DemandWatermark Decode(ReadOnlySpan<byte> value)
    {
        var reader = new SnapshotReader(value);
        if (reader.ReadByte() != Version) throw new InvalidDataException("not a demand watermark record");
        var watermark = new DemandWatermark(reader.ReadCount(int.MaxValue), reader.ReadVarInt());
        if (!reader.AtEnd) throw new InvalidDataException("demand watermark record has bytes after its end");
        return watermark;
    }
}
