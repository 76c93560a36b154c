using StreamMetrics.Influx.LineProtocol;

namespace StreamMetrics.Influx.Tests.LineProtocol;

public sealed class LineProtocolEncoderTests
{
    private static readonly DateTimeOffset Day = DateTimeOffset.Parse("2010-12-01T00:00:00Z");

    private static Point Point(string measurement = "m", (string, string)[]? tags = null, (string, FieldValue)[]? fields = null) =>
        new(measurement, (tags ?? []).Select(t => KeyValuePair.Create(t.Item1, t.Item2)).ToList(),
            (fields ?? [("f", FieldValue.Integer(1))]).Select(f => KeyValuePair.Create(f.Item1, f.Item2)).ToList(), Day);

    [Fact]
    public void A_customer_activity_point_encodes_with_integer_suffixes_and_nanoseconds()
    {
        var point = Point("customer_activity", [("customer_id", "17850")],
            [("orders", FieldValue.Integer(2)), ("revenue", FieldValue.Float(159.12)), ("aov", FieldValue.Float(79.56))]);

        Assert.Equal("customer_activity,customer_id=17850 orders=2i,revenue=159.12,aov=79.56 1291161600000000000", LineProtocolEncoder.Encode(point));
    }

    [Fact]
    public void Measurements_escape_commas_and_spaces_but_not_equals_signs()
    {
        Assert.StartsWith(@"my\ measure\,ment=x f=1i", LineProtocolEncoder.Encode(Point("my measure,ment=x")));
    }

    [Fact]
    public void Tag_keys_tag_values_and_field_keys_escape_commas_equals_signs_and_spaces()
    {
        var point = Point(tags: [("tag key,=", "a b,c=d")], fields: [("field key,=", FieldValue.Integer(1))]);

        Assert.StartsWith(@"m,tag\ key\,\==a\ b\,c\=d field\ key\,\==1i ", LineProtocolEncoder.Encode(point));
    }

    [Fact]
    public void String_fields_escape_double_quotes_and_backslashes()
    {
        var point = Point(fields: [("note", FieldValue.String("say \"hi\" to C:\\temp"))]);

        Assert.StartsWith("m note=\"say \\\"hi\\\" to C:\\\\temp\" ", LineProtocolEncoder.Encode(point));
    }

    [Fact]
    public void Tags_are_sorted_by_key_and_empty_tag_values_left_out()
    {
        Assert.StartsWith("m,a=1,b=2 ", LineProtocolEncoder.Encode(Point(tags: [("b", "2"), ("empty", ""), ("a", "1")])));
    }

    [Fact]
    public void Booleans_floats_and_negative_integers_have_their_own_forms()
    {
        var point = Point(fields: [("yes", FieldValue.Boolean(true)), ("x", FieldValue.Float(1e21)), ("n", FieldValue.Integer(-5)), ("w", FieldValue.Float(3))]);

        Assert.StartsWith("m yes=true,x=1E+21,n=-5i,w=3 ", LineProtocolEncoder.Encode(point));
    }

    [Theory]
    [InlineData("line\nbreak")]
    [InlineData("carriage\rreturn")]
    [InlineData("tab\there")]
    [InlineData("bell\u0007")]
    public void Control_characters_in_a_tag_value_are_rejected_with_a_reason(string value)
    {
        var reason = LineProtocolEncoder.TryWrite(Point(tags: [("customer_id", value)]), new System.Buffers.ArrayBufferWriter<byte>());

        Assert.Contains("control character", reason);
    }

    [Theory]
    [InlineData("ends with\\")]
    [InlineData("before\\,comma")]
    public void A_backslash_that_would_escape_a_separator_is_rejected(string value)
    {
        var reason = LineProtocolEncoder.TryWrite(Point(tags: [("t", value)]), new System.Buffers.ArrayBufferWriter<byte>());

        Assert.Contains("backslash", reason);
    }

    [Fact]
    public void Non_finite_floats_empty_names_and_pointless_points_are_rejected()
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();

        Assert.Contains("cannot store", LineProtocolEncoder.TryWrite(Point(fields: [("f", FieldValue.Float(double.NaN))]), output));
        Assert.Contains("empty", LineProtocolEncoder.TryWrite(Point(""), output));
        Assert.Contains("no field", LineProtocolEncoder.TryWrite(Point(fields: []), output));
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void A_comment_like_measurement_and_a_repeated_tag_key_are_rejected()
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();

        Assert.Contains("comment", LineProtocolEncoder.TryWrite(Point("#m"), output));
        Assert.Contains("repeats a tag key", LineProtocolEncoder.TryWrite(Point(tags: [("t", "1"), ("t", "2")]), output));
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void Encoding_a_point_into_a_buffer_with_room_allocates_nothing()
    {
        var point = Point("customer_metrics", [("segment", "champions"), ("customer_id", "C0001234"), ("region", "United Kingdom"), ("channel", "")],
            [("orders_total", FieldValue.Integer(12)), ("churn_probability", FieldValue.Float(0.0312)), ("state", FieldValue.String("active")),
                ("at_risk", FieldValue.Boolean(false))]);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1 << 20);
        LineProtocolEncoder.TryWrite(point, buffer); // the first call may initialise statics

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++) LineProtocolEncoder.TryWrite(point, buffer);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(1_001, System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan).Count(c => c == '\n'));
    }
}
