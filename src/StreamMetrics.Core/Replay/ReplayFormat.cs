namespace StreamMetrics.Core.Replay;

/// <summary>The data-file formats <c>replay</c> reads (DESIGN §2, replay formats).</summary>
public enum ReplayFormat
{
    OnlineRetail,
    Cdnow,
    Jsonl,
}
