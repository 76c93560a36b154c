namespace StreamMetrics.Influx.LineProtocol;

/// <summary>A field's value: float, integer, string or boolean, as line protocol tells them apart.</summary>
public readonly record struct FieldValue
{
    private FieldValue(FieldKind kind, double number, long whole, string? text)
    {
        Kind = kind;
        AsDouble = number;
        AsLong = whole;
        AsString = text;
    }

    public FieldKind Kind { get; }

    public double AsDouble { get; }

    public long AsLong { get; }

    public string? AsString { get; }

    public static FieldValue Float(double value) => new(FieldKind.Float, value, 0, null);

    public static FieldValue Integer(long value) => new(FieldKind.Integer, 0, value, null);

    public static FieldValue String(string value) => new(FieldKind.String, 0, 0, value);

    public static FieldValue Boolean(bool value) => new(FieldKind.Boolean, 0, value ? 1 : 0, null);
}
