using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Customers;
using StreamMetrics.Core.Time;

namespace StreamMetrics.Core.State;

/// <summary>
/// A partition's own state in the changelog, beside its customers: the last offset it processed, its
/// watermark, the last period it evaluated and the model it evaluates the next one with, so that a new
/// owner closes windows and evaluates periods exactly where, and as, the old one would have.
/// </summary>
public static class PartitionSnapshot
{
    /// <summary>The changelog key of the partition's record; customer ids never hold control characters, so it cannot clash.</summary>
    public const string Key = "\u0000partition";

    private const byte Version = 3;

    public static byte[] Encode(long lastOffset, Watermark watermark, long lastEvaluatedPeriod, PopulationModel? model)
    {
        var writer = new SnapshotWriter();
        writer.WriteByte(Version);
        writer.WriteVarInt(lastOffset);
        watermark.WriteTo(writer);
        writer.WriteVarInt(lastEvaluatedPeriod);
        writer.WriteByte(model is null ? (byte)0 : (byte)1);
        model?.WriteTo(writer);
        return writer.ToArray();
    }

    /// <summary>Restores <paramref name="watermark"/> and returns the offset, period and model; throws <see cref="InvalidDataException"/> for malformed bytes.</summary>
    public static (long LastOffset, long LastEvaluatedPeriod, PopulationModel? Model) Decode(ReadOnlySpan<byte> bytes, Watermark watermark, ChurnThresholds thresholds)
    {
        var reader = new SnapshotReader(bytes);
        var version = reader.ReadByte();
        if (version != Version) throw new InvalidDataException($"partition snapshot has version {version}; this build reads version {Version}");
        var lastOffset = reader.ReadVarInt();
        watermark.RestoreFrom(ref reader);
        var lastEvaluatedPeriod = reader.ReadVarInt();
        var model = reader.ReadByte() != 0 ? PopulationModel.ReadFrom(ref reader, thresholds) : null;
        if (!reader.AtEnd) throw new InvalidDataException("partition snapshot has bytes after its end");
        return (lastOffset, lastEvaluatedPeriod, model);
    }
}
