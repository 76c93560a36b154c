using StreamMetrics.Core.Churn;
using StreamMetrics.Core.CustomerValue;
using StreamMetrics.Core.Segments;
using StreamMetrics.Core.State;

namespace StreamMetrics.Core.Customers;

/// <summary>
/// The binary form of a partition's model in its changelog record, so that a new owner evaluates with the model the
/// old one had, and fits the next one from the same starts. Doubles go as their bits, so a restore is exact.
/// </summary>
public sealed partial record PopulationModel
{
    internal void WriteTo(SnapshotWriter writer)
    {
        WriteFit(writer, Purchases.BgNbd is { Parameters: var (r, alpha, a, b) } bgNbd ? ([r, alpha, a, b], bgNbd.LogLikelihood, bgNbd.Customers) : null);
        WriteFit(writer, Purchases.ParetoNbd is { Parameters: var (pr, pAlpha, s, beta) } paretoNbd ? ([pr, pAlpha, s, beta], paretoNbd.LogLikelihood, paretoNbd.Customers) : null);
        writer.WriteString(Purchases.Chosen?.Name);
        WriteFit(writer, Spend is { Parameters: var (p, q, gamma) } spend ? ([p, q, gamma], spend.LogLikelihood, spend.Customers) : null);
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
        var bgNbd = ReadFit(ref reader, 4) is (var b, var bLikelihood, var bCustomers) ? new BgNbdFit(new(b[0], b[1], b[2], b[3]), bLikelihood, bCustomers) : null;
        var paretoNbd = ReadFit(ref reader, 4) is (var pn, var pLikelihood, var pCustomers) ? new ParetoNbdFit(new(pn[0], pn[1], pn[2], pn[3]), pLikelihood, pCustomers) : null;
        var chosenName = reader.ReadString();
        IPurchaseModel? chosen = chosenName switch
        {
            null => null,
            ModelNames.BgNbd when bgNbd is not null => bgNbd,
            ModelNames.ParetoNbd when paretoNbd is not null => paretoNbd,
            _ => throw new InvalidDataException($"partition model names '{chosenName}' as the chosen purchase model, which it does not hold"),
        };
        var spend = ReadFit(ref reader, 3) is (var g, var gLikelihood, var gCustomers) ? new GammaGammaFit(new(g[0], g[1], g[2]), gLikelihood, gCustomers) : null;
        var cuts = reader.ReadCount(4);
        var (days, purchases, revenue) = (new double[cuts], new long[cuts], new decimal[cuts]);
        for (var i = 0; i < cuts; i++)
        {
            days[i] = ReadDouble(ref reader);
            purchases[i] = reader.ReadVarInt();
            revenue[i] = reader.ReadDecimal();
        }
        var churn = new ChurnClassifier(thresholds, ReadDouble(ref reader), ReadDouble(ref reader));
        return new PopulationModel(new ChurnModelSelection(bgNbd, paretoNbd, chosen), spend, new RfmCutPoints(days, purchases, revenue), churn);
    }

    /// <summary>A presence byte, then the parameters, the log-likelihood and the customers fitted on.</summary>
    private static void WriteFit(SnapshotWriter writer, (double[] Parameters, double LogLikelihood, int Customers)? fit)
    {
        writer.WriteByte(fit is null ? (byte)0 : (byte)1);
        if (fit is not (var parameters, var logLikelihood, var customers)) return;
        foreach (var value in parameters) WriteDouble(writer, value);
        WriteDouble(writer, logLikelihood);
        writer.WriteVarUInt((ulong)customers);
    }

    private static (double[] Parameters, double LogLikelihood, int Customers)? ReadFit(ref SnapshotReader reader, int parameterCount)
    {
        if (reader.ReadByte() == 0) return null;
        var parameters = new double[parameterCount];
        for (var i = 0; i < parameterCount; i++) parameters[i] = ReadDouble(ref reader);
        return (parameters, ReadDouble(ref reader), reader.ReadCount(int.MaxValue));
    }

    private static void WriteDouble(SnapshotWriter writer, double value) => writer.WriteUInt64(BitConverter.DoubleToUInt64Bits(value));

    private static double ReadDouble(ref SnapshotReader reader) => BitConverter.UInt64BitsToDouble(reader.ReadUInt64());
}
