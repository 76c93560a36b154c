using System.Buffers;
using System.Globalization;
using System.Text;

namespace StreamMetrics.Influx.LineProtocol;

/// <summary>
/// Encodes points as InfluxDB line protocol, with the escaping of the reference
/// (docs.influxdata.com, "Line protocol", special characters): measurement — comma and space; tag keys,
/// tag values and field keys — comma, equals sign and space; string field values — double quote and
/// backslash. Integers carry <c>i</c>; unsigned <c>u</c> is never written. Timestamps are nanoseconds.
/// </summary>
public static class LineProtocolEncoder
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    /// <summary>Writes one line, with its newline; returns null, or why the point cannot be written (then nothing is written).</summary>
    public static string? TryWrite(Point point, IBufferWriter<byte> output)
    {
        if (Validate(point) is { } reason) return reason;
        var line = new StringBuilder(128);
        AppendEscaped(line, point.Measurement, measurement: true);
        foreach (var (key, value) in point.Tags.Where(t => t.Value.Length > 0).OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            line.Append(',');
            AppendEscaped(line, key, measurement: false);
            line.Append('=');
            AppendEscaped(line, value, measurement: false);
        }
        var separator = ' ';
        foreach (var (key, value) in point.Fields)
        {
            line.Append(separator);
            separator = ',';
            AppendEscaped(line, key, measurement: false);
            line.Append('=');
            AppendValue(line, value);
        }
        line.Append(' ').Append(((point.Timestamp - Epoch).Ticks * 100).ToString(CultureInfo.InvariantCulture)).Append('\n');
        var bytes = Encoding.UTF8.GetBytes(line.ToString());
        output.Write(bytes);
        return null;
    }

    /// <summary>The line of a point, without its newline; throws <see cref="ArgumentException"/> with the reason for a point that cannot be written.</summary>
    public static string Encode(Point point)
    {
        var buffer = new ArrayBufferWriter<byte>();
        if (TryWrite(point, buffer) is { } reason) throw new ArgumentException(reason, nameof(point));
        return Encoding.UTF8.GetString(buffer.WrittenSpan)[..^1];
    }

    private static string? Validate(Point point)
    {
        if (CheckName(point.Measurement, "measurement") is { } measurement) return measurement;
        // A line that starts with '#' is a comment to InfluxDB: the point would vanish without an error.
        if (point.Measurement[0] == '#') return $"measurement '{Printable(point.Measurement)}' starts with '#', which InfluxDB reads as a comment";
        if (point.Tags.Select(t => t.Key).Distinct(StringComparer.Ordinal).Count() != point.Tags.Count) return $"point of '{Printable(point.Measurement)}' repeats a tag key";
        foreach (var (key, value) in point.Tags)
        {
            if (CheckName(key, "tag key") is { } tagKey) return tagKey;
            if (value.Length > 0 && CheckText(value, $"tag value of '{key}'") is { } tagValue) return tagValue;
        }
        if (point.Fields.Count == 0) return $"point of '{point.Measurement}' has no field";
        foreach (var (key, value) in point.Fields)
        {
            if (CheckName(key, "field key") is { } fieldKey) return fieldKey;
            if (value.Kind == FieldKind.Float && !double.IsFinite(value.AsDouble)) return $"field '{key}' is {value.AsDouble}, which InfluxDB cannot store";
            if (value.Kind == FieldKind.String && value.AsString!.Length > 64 * 1024) return $"field '{key}' is longer than 64 KiB";
            if (value.Kind == FieldKind.String && value.AsString!.AsSpan().IndexOfAny('\n', '\r') >= 0) return $"field '{key}' holds a line break, which line protocol cannot carry";
        }
        var nanoseconds = (point.Timestamp - Epoch).TotalNanoseconds;
        if (nanoseconds < long.MinValue / 2 || nanoseconds > long.MaxValue / 2) return $"timestamp {point.Timestamp:O} is outside InfluxDB's range (1677-09-21 to 2262-04-11)";
        return null;
    }

    private static string? CheckName(string name, string what) =>
        name.Length == 0 ? $"{what} is empty" : CheckText(name, what);

    private static string? CheckText(string text, string what)
    {
        foreach (var c in text)
            if (char.IsControl(c)) return $"{what} '{Printable(text)}' holds a control character (U+{(int)c:X4}), which line protocol cannot carry";
        // A backslash before a separator, or at the end, would escape the separator; InfluxDB could not read it back.
        for (var i = text.IndexOf('\\'); i >= 0; i = text.IndexOf('\\', i + 1))
            if (i == text.Length - 1 || text[i + 1] is ',' or ' ' or '=' or '\\')
                return $"{what} '{Printable(text)}' has a backslash before a separator or at its end, which line protocol cannot carry";
        return null;
    }

    private static void AppendEscaped(StringBuilder line, string text, bool measurement)
    {
        foreach (var c in text)
        {
            if (c is ',' or ' ' || (c == '=' && !measurement)) line.Append('\\');
            line.Append(c);
        }
    }

    private static void AppendValue(StringBuilder line, FieldValue value)
    {
        switch (value.Kind)
        {
            case FieldKind.Float:
                line.Append(value.AsDouble.ToString("R", CultureInfo.InvariantCulture));
                break;
            case FieldKind.Integer:
                line.Append(value.AsLong.ToString(CultureInfo.InvariantCulture)).Append('i');
                break;
            case FieldKind.Boolean:
                line.Append(value.AsLong != 0 ? "true" : "false");
                break;
            default:
                line.Append('"');
                foreach (var c in value.AsString!)
                {
                    if (c is '"' or '\\') line.Append('\\');
                    line.Append(c);
                }
                line.Append('"');
                break;
        }
    }

    private static string Printable(string text) =>
        new(text.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
