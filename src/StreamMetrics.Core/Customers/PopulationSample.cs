using StreamMetrics.Core.Churn;

namespace StreamMetrics.Core.Customers;

/// <summary>
/// A partition's share of the population, as it travels between workers: the summaries of at most
/// <see cref="MaxCustomers"/> customers, those with the smallest stable hash of their id. The choice is
/// deterministic and uniform, so memory and fitting time stay flat however large the partition grows,
/// and below the bound the sample is the whole partition.
/// </summary>
public static class PopulationSample
{
    public const int MaxCustomers = 50_000;
    private const byte Version = 3;

    /// <remarks>An array, not a collection expression: sorted and cut, its length is known, so it is allocated once instead of grown.</remarks>
    public static IReadOnlyList<CustomerSummary> Select(IEnumerable<CustomerSummary> customers, int maxCustomers = MaxCustomers) =>
        customers.OrderBy(c => StableHash.Of(c.CustomerId)).ThenBy(c => c.CustomerId, StringComparer.Ordinal).Take(maxCustomers).ToArray();

    /// <summary>A compact binary form with a version byte and the watermark the summaries were taken at.</summary>
    public static byte[] Encode(IReadOnlyList<CustomerSummary> sample, DateTimeOffset watermark)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer))
        {
            writer.Write(Version);
            writer.Write(watermark.UtcTicks);
            writer.Write(sample.Count);
            foreach (var c in sample)
            {
                writer.Write(c.CustomerId);
                writer.Write(c.History is not null);
                if (c.History is { } h)
                {
                    writer.Write(h.X);
                    writer.Write(h.Tx);
                    writer.Write(h.T);
                }
                writer.Write(c.DaysSinceLastPurchase ?? double.NaN);
                writer.Write(c.Purchases);
                writer.Write(c.NetRevenue);
                writer.Write(c.FirstRepeatGap ?? double.NaN);
                writer.Write(c.RepeatSpend);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>Reads <see cref="Encode"/>'s form; throws <see cref="InvalidDataException"/> for anything else.</summary>
    public static (DateTimeOffset Watermark, IReadOnlyList<CustomerSummary> Sample) Decode(byte[] bytes)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes));
            if (reader.ReadByte() != Version) throw new InvalidDataException("unknown population sample version");
            var watermark = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
            var count = reader.ReadInt32();
            var sample = new List<CustomerSummary>(count);
            for (var i = 0; i < count; i++)
            {
                var id = reader.ReadString();
                CustomerHistory? history = reader.ReadBoolean() ? new CustomerHistory(reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble()) : null;
                var sinceLast = reader.ReadDouble();
                var purchases = reader.ReadInt64();
                var net = reader.ReadDecimal();
                var gap = reader.ReadDouble();
                var repeatSpend = reader.ReadDecimal();
                sample.Add(new CustomerSummary(id, history, double.IsNaN(sinceLast) ? null : sinceLast, purchases, net, double.IsNaN(gap) ? null : gap, repeatSpend));
            }
            return (watermark, sample);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentOutOfRangeException)
        {
            throw new InvalidDataException("truncated population sample", e);
        }
    }
}
