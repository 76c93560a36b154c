namespace StreamMetrics.Influx.LineProtocol;

/// <summary>The four field types of line protocol.</summary>
public enum FieldKind : byte
{
    Float,
    Integer,
    String,
    Boolean,
}
