using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Segments;
using StreamMetrics.Core.State;

namespace StreamMetrics.Core.Customers;

/// <summary>The binary form of a partition's model in its changelog record, so that a new owner evaluates with the model the old one had.</summary>
public sealed partial record PopulationModel
{
    internal void WriteTo(SnapshotWriter writer)
    {
        writer.WriteByte(Fit is null ? (byte)0 : (byte)1);
        if (Fit is { } fit)
        {
            foreach (var value in new[] { fit.Parameters.R, fit.Parameters.Alpha, fit.Parameters.A, fit.Parameters.B, fit.LogLikelihood }) WriteDouble(writer, value);
            writer.WriteVarUInt((ulong)fit.Customers);
        }
        writer.WriteVarUInt((ulong)Cuts.Purchases.Length);
        for (var i = 0; i < Cuts.Purchases.Length; i++)
        {
            WriteDouble(writer, Cuts.DaysSinceLastPurchase[i]);
            writer.WriteVarInt(Cuts.Purchases[i]);
            writer.WriteDecimal(Cuts.NetRevenue[i]);
        }
        var (atRisk, churned) = Churn.OneTimeBuyerGaps;
        WriteDouble(writer, atRisk);
        WriteDouble(writer, churned);
    }

    internal static PopulationModel ReadFrom(ref SnapshotReader reader, ChurnThresholds thresholds)
    {
        BgNbdFit? fit = null;
        if (reader.ReadByte() != 0)
        {
            var parameters = new BgNbdParameters(ReadDouble(ref reader), ReadDouble(ref reader), ReadDouble(ref reader), ReadDouble(ref reader));
            fit = new BgNbdFit(parameters, ReadDouble(ref reader), reader.ReadCount(int.MaxValue));
        }
        var cuts = reader.ReadCount(4);
        var (days, purchases, revenue) = (new double[cuts], new long[cuts], new decimal[cuts]);
        for (var i = 0; i < cuts; i++)
        {
            days[i] = ReadDouble(ref reader);
            purchases[i] = reader.ReadVarInt();
            revenue[i] = reader.ReadDecimal();
        }
        var churn = new ChurnClassifier(thresholds, ReadDouble(ref reader), ReadDouble(ref reader));
        return new PopulationModel(fit, new RfmCutPoints(days, purchases, revenue), churn);
    }

    private static void WriteDouble(SnapshotWriter writer, double value) => writer.WriteUInt64(BitConverter.DoubleToUInt64Bits(value));

    private static double ReadDouble(ref SnapshotReader reader) => BitConverter.UInt64BitsToDouble(reader.ReadUInt64());
}
