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
    private static readonly SearchValues<char> MeasurementSpecials = SearchValues.Create(", ");
    private static readonly SearchValues<char> NameSpecials = SearchValues.Create(", =");
    private static readonly SearchValues<char> StringSpecials = SearchValues.Create("\"\\");

    /// <summary>Writes one line, with its newline; returns null, or why the point cannot be written (then nothing is written).</summary>
    /// <remarks>Straight into <paramref name="output"/>: no intermediate string, no enumerator, tags sorted in place.</remarks>
    public static string? TryWrite(Point point, IBufferWriter<byte> output)
    {
        if (Validate(point) is { } reason) return reason;
        WriteEscaped(output, point.Measurement, MeasurementSpecials);
        var tags = point.Tags;
        Span<int> order = tags.Count <= 32 ? stackalloc int[tags.Count] : new int[tags.Count];
        var count = SortedNonEmptyTags(tags, order);
        foreach (var index in order[..count])
        {
            WriteByte(output, (byte)',');
            WriteEscaped(output, tags[index].Key, NameSpecials);
            WriteByte(output, (byte)'=');
            WriteEscaped(output, tags[index].Value, NameSpecials);
        }
        var fields = point.Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            WriteByte(output, i == 0 ? (byte)' ' : (byte)',');
            WriteEscaped(output, fields[i].Key, NameSpecials);
            WriteByte(output, (byte)'=');
            WriteValue(output, fields[i].Value);
        }
        WriteByte(output, (byte)' ');
        WriteFormatted(output, (point.Timestamp - Epoch).Ticks * 100, default);
        WriteByte(output, (byte)'\n');
        return null;
    }

    /// <summary>The indexes of the tags with a value, in ordinal order of their keys, as InfluxDB recommends for its index.</summary>
    private static int SortedNonEmptyTags(IReadOnlyList<KeyValuePair<string, string>> tags, Span<int> order)
    {
        var count = 0;
        for (var i = 0; i < tags.Count; i++)
        {
            if (tags[i].Value.Length == 0) continue;
            var at = count++;
            // Insertion sort: a point has a handful of tags, usually in order already.
            while (at > 0 && string.CompareOrdinal(tags[order[at - 1]].Key, tags[i].Key) > 0)
            {
                order[at] = order[at - 1];
                at--;
            }
            order[at] = i;
        }
        return count;
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
        if (RepeatsTagKey(point.Tags)) return $"point of '{Printable(point.Measurement)}' repeats a tag key";
        for (var i = 0; i < point.Tags.Count; i++)
        {
            var (key, value) = point.Tags[i];
            if (CheckName(key, "tag key") is { } tagKey) return tagKey;
            if (value.Length > 0 && TextProblem(value) is { } tagValue) return $"tag value of '{key}' '{Printable(value)}' {tagValue}";
        }
        if (point.Fields.Count == 0) return $"point of '{point.Measurement}' has no field";
        for (var i = 0; i < point.Fields.Count; i++)
        {
            var (key, value) = point.Fields[i];
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
        name.Length == 0 ? $"{what} is empty" : TextProblem(name) is { } problem ? $"{what} '{Printable(name)}' {problem}" : null;

    /// <summary>Why line protocol cannot carry <paramref name="text"/>, or null; the message is built only for a problem.</summary>
    private static string? TextProblem(string text)
    {
        foreach (var c in text)
            if (char.IsControl(c)) return $"holds a control character (U+{(int)c:X4}), which line protocol cannot carry";
        // A backslash before a separator, or at the end, would escape the separator; InfluxDB could not read it back.
        for (var i = text.IndexOf('\\'); i >= 0; i = text.IndexOf('\\', i + 1))
            if (i == text.Length - 1 || text[i + 1] is ',' or ' ' or '=' or '\\')
                return "has a backslash before a separator or at its end, which line protocol cannot carry";
        return null;
    }

    private static bool RepeatsTagKey(IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        for (var i = 1; i < tags.Count; i++)
            for (var j = 0; j < i; j++)
                if (string.Equals(tags[i].Key, tags[j].Key, StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 with a backslash before each of <paramref name="specials"/>.</summary>
    private static void WriteEscaped(IBufferWriter<byte> output, string text, SearchValues<char> specials)
    {
        var rest = text.AsSpan();
        while (true)
        {
            var special = rest.IndexOfAny(specials);
            WriteUtf8(output, special < 0 ? rest : rest[..special]);
            if (special < 0) return;
            WriteByte(output, (byte)'\\');
            WriteByte(output, (byte)rest[special]);
            rest = rest[(special + 1)..];
        }
    }

    private static void WriteValue(IBufferWriter<byte> output, FieldValue value)
    {
        switch (value.Kind)
        {
            case FieldKind.Float:
                WriteFormatted(output, value.AsDouble, "R");
                break;
            case FieldKind.Integer:
                WriteFormatted(output, value.AsLong, default);
                WriteByte(output, (byte)'i');
                break;
            case FieldKind.Boolean:
                output.Write(value.AsLong != 0 ? "true"u8 : "false"u8);
                break;
            default:
                WriteByte(output, (byte)'"');
                WriteEscaped(output, value.AsString!, StringSpecials);
                WriteByte(output, (byte)'"');
                break;
        }
    }

    private static void WriteFormatted<T>(IBufferWriter<byte> output, T value, ReadOnlySpan<char> format) where T : IUtf8SpanFormattable
    {
        var span = output.GetSpan(32);
        if (!value.TryFormat(span, out var written, format, CultureInfo.InvariantCulture)) throw new InvalidOperationException($"{value} does not fit 32 bytes");
        output.Advance(written);
    }

    private static void WriteUtf8(IBufferWriter<byte> output, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return;
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static string Printable(string text) =>
        new(text.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
