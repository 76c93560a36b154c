namespace StreamMetrics.Influx.LineProtocol;

/// <summary>A field's value: float, integer, string or boolean, as line protocol tells them apart.</summary>
/// <remarks>
/// A float keeps its bits in the integer's place: 24 bytes instead of 32, in every field of every point (a point holds
/// about six).
/// </remarks>
public readonly record struct FieldValue
{
    private readonly long _bits;

    private FieldValue(FieldKind kind, long bits, string? text)
    {
        Kind = kind;
        _bits = bits;
        AsString = text;
    }

    public FieldKind Kind { get; }

    public double AsDouble => Kind == FieldKind.Float ? BitConverter.Int64BitsToDouble(_bits) : 0;

    public long AsLong => Kind == FieldKind.Float ? 0 : _bits;

    public string? AsString { get; }

    public static FieldValue Float(double value) => new(FieldKind.Float, BitConverter.DoubleToInt64Bits(value), null);

    public static FieldValue Integer(long value) => new(FieldKind.Integer, value, null);

    public static FieldValue String(string value) => new(FieldKind.String, 0, value);

    public static FieldValue Boolean(bool value) => new(FieldKind.Boolean, value ? 1 : 0, null);
}
