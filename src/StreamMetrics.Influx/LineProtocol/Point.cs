namespace StreamMetrics.Influx.LineProtocol;

/// <summary>One InfluxDB point. The timestamp is always ours (event time), never the server's clock.</summary>
public sealed record Point(
    string Measurement,
    IReadOnlyList<KeyValuePair<string, string>> Tags,
    IReadOnlyList<KeyValuePair<string, FieldValue>> Fields,
    DateTimeOffset Timestamp);
