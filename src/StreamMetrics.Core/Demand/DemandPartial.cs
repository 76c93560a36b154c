using System.Text;
using StreamMetrics.Core.State;

namespace StreamMetrics.Core.Demand;

/// <summary>
/// One orders partition's demand for one key in one period: what goes through the demand topic to the
/// worker that sums the key. A partial sent again for the same source partition and period replaces
/// the one before, so re-sending after a restart or a late order never counts twice.
/// </summary>
public sealed record DemandPartial(DemandKey Key, int SourcePartition, long Period, DemandFigures Figures)
{
    private const byte Version = 1;

    /// <summary>The record key: level and key, so that one key's partials always meet in one partition.</summary>
    public byte[] EncodeKey() => Encoding.UTF8.GetBytes(KeyText);

    /// <summary>
    /// The demand partition of the key, chosen here rather than by the producer's partitioner, so that
    /// partials and the watermarks after them are sent alike, to a partition named by the worker. The keys of
    /// the levels whose forecasts are reconciled (total, region, category) all go to the total's partition,
    /// where one <c>DemandDays</c> sees the whole hierarchy; SKUs, the many, are spread by their own hash.
    /// </summary>
    /// <remarks>
    /// Changing this routing moves keys between partitions: a deployment that changes it starts on a new
    /// <c>Kafka:DemandTopic</c>, or partials of one period would be summed in two places.
    /// </remarks>
    public int PartitionIn(int partitions) => Key.Level is DemandKey.Total or DemandKey.Region or DemandKey.Category
        ? PartitionOf(DemandKey.All, partitions)
        : PartitionOf(Key, partitions);

    private static int PartitionOf(DemandKey key, int partitions) => (int)(StableHash.Of(TextOf(key)) % (ulong)partitions);

    private string KeyText => TextOf(Key);

    private static string TextOf(DemandKey key) => $"{key.Level}\u0000{key.Key}";

    public byte[] EncodeValue()
    {
        var writer = new SnapshotWriter();
        writer.WriteByte(Version);
        writer.WriteVarUInt((ulong)SourcePartition);
        writer.WriteVarInt(Period);
        DemandFiguresCodec.Write(writer, Figures);
        return writer.ToArray();
    }

    /// <summary>Reads a record of the demand topic; throws <see cref="InvalidDataException"/> for anything else.</summary>
    public static DemandPartial Decode(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var text = Encoding.UTF8.GetString(key);
        var separator = text.IndexOf('\u0000');
        if (separator <= 0) throw new InvalidDataException("demand record key is not 'level\\0key'");
        var reader = new SnapshotReader(value);
        var version = reader.ReadByte();
        if (version != Version) throw new InvalidDataException($"demand record has version {version}; this build reads version {Version}");
        var source = reader.ReadCount(int.MaxValue);
        var period = reader.ReadVarInt();
        var figures = DemandFiguresCodec.Read(ref reader);
        if (!reader.AtEnd) throw new InvalidDataException("demand record has bytes after its end");
        return new DemandPartial(new DemandKey(text[..separator], text[(separator + 1)..]), source, period, figures);
    }
}

/// <summary>The binary form of <see cref="DemandFigures"/>, shared by demand records and partition snapshots.</summary>
internal static class DemandFiguresCodec
{
    public static void Write(SnapshotWriter writer, DemandFigures figures)
    {
        writer.WriteVarInt(figures.Units);
        writer.WriteVarInt(figures.Orders);
        writer.WriteDecimal(figures.Revenue);
    }

    public static DemandFigures Read(ref SnapshotReader reader) => new(reader.ReadVarInt(), reader.ReadVarInt(), reader.ReadDecimal());
}
