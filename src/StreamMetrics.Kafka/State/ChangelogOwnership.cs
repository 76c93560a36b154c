using System.Buffers.Binary;
using Confluent.Kafka;

namespace StreamMetrics.Kafka.State;

/// <summary>
/// Who may write a changelog partition. An owner claims the partition before it restores it, and the
/// claim's offset is its epoch: every record it writes carries that epoch. A record from an epoch lower
/// than a claim before it was written by a former owner after it lost the partition, and a restore
/// ignores it, so a late write can never take a partition's state backwards.
/// </summary>
/// <remarks>
/// Epochs are offsets because the broker hands them out in order without a round trip to agree on them.
/// This holds on any broker, including the dev cluster, whose transactions do not fence (DESIGN §7).
/// </remarks>
public static class ChangelogOwnership
{
    /// <summary>The claim's key: customer ids never start with NUL, like the partition's other internal keys.</summary>
    public const string ClaimKey = "\u0000owner";

    public const string EpochHeader = "owner-epoch";

    /// <summary>The epoch of records written before owners made claims: older than every claim.</summary>
    public const long Unclaimed = -1;

    public static Headers HeadersFor(long epoch)
    {
        var bytes = new byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(bytes, epoch);
        return [new Header(EpochHeader, bytes)];
    }

    public static long EpochOf(Headers? headers) =>
        headers is not null && headers.TryGetLastBytes(EpochHeader, out var bytes) && bytes.Length == sizeof(long)
            ? BinaryPrimitives.ReadInt64BigEndian(bytes)
            : Unclaimed;
}
