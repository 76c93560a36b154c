using StreamMetrics.Core.Time;

namespace StreamMetrics.Core.State;

/// <summary>
/// A partition's own state in the changelog, beside its customers: the last offset it processed, its
/// watermark and the last period it evaluated, so that a new owner closes windows and evaluates
/// periods exactly where the old one would have.
/// </summary>
public static class PartitionSnapshot
{
    /// <summary>The changelog key of the partition's record; customer ids never hold control characters, so it cannot clash.</summary>
    public const string Key = "\u0000partition";

    private const byte Version = 1;

    public static byte[] Encode(long lastOffset, Watermark watermark, long lastEvaluatedPeriod)
    {
        var writer = new SnapshotWriter();
        writer.WriteByte(Version);
        writer.WriteVarInt(lastOffset);
        watermark.WriteTo(writer);
        writer.WriteVarInt(lastEvaluatedPeriod);
        return writer.ToArray();
    }

    /// <summary>Restores <paramref name="watermark"/> and returns the offset and period; throws <see cref="InvalidDataException"/> for malformed bytes.</summary>
    public static (long LastOffset, long LastEvaluatedPeriod) Decode(ReadOnlySpan<byte> bytes, Watermark watermark)
    {
        var reader = new SnapshotReader(bytes);
        var version = reader.ReadByte();
        if (version != Version) throw new InvalidDataException($"partition snapshot has version {version}; this build reads version {Version}");
        var lastOffset = reader.ReadVarInt();
        watermark.RestoreFrom(ref reader);
        var lastEvaluatedPeriod = reader.ReadVarInt();
        if (!reader.AtEnd) throw new InvalidDataException("partition snapshot has bytes after its end");
        return (lastOffset, lastEvaluatedPeriod);
    }
}
