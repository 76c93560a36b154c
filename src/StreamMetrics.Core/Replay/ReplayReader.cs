namespace StreamMetrics.Core.Replay;

/// <summary>Reads a data file of any replay format into order events.</summary>
public static class ReplayReader
{
    public static ReplayData Read(ReplayFormat format, TextReader reader) => format switch
    {
        ReplayFormat.OnlineRetail => OnlineRetailReader.Read(reader),
        ReplayFormat.Cdnow => CdnowReader.Read(reader),
        ReplayFormat.Jsonl => JsonlReader.Read(reader),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown replay format."),
    };

    /// <summary>A line of a file quoted in an error message, shortened: a wrong file may hold anything, of any length.</summary>
    internal static string Quote(string? line) => line switch
    {
        null => "an empty file",
        { Length: <= 100 } => $"'{line.Trim()}'",
        _ => $"'{line[..100].Trim()}…'",
    };

    /// <summary>Orders by event time, then order id, so a replay is the same every time.</summary>
    internal static int ByTime(Orders.OrderEvent x, Orders.OrderEvent y) =>
        x.Timestamp != y.Timestamp ? x.Timestamp.CompareTo(y.Timestamp) : string.CompareOrdinal(x.OrderId, y.OrderId);
}
