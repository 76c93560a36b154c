using System.Text;
using StreamMetrics.Core.Orders;

namespace StreamMetrics.Core.Tests.Orders;

public sealed class OrderParserTests
{
    private static readonly OrderValidationOptions Gbp = new() { RequiredCurrency = "GBP" };

    private const string Example = """
        {"orderId":"536365","customerId":"17850","timestamp":"2010-12-01T08:26:00Z","kind":"purchase",
         "amount":139.12,"currency":"GBP","region":"United Kingdom","channel":"web",
         "items":[{"sku":"85123A","category":null,"quantity":6,"unitPrice":2.55}]}
        """;

    private static string? Reason(string value, string key = "c1", OrderValidationOptions? options = null) =>
        OrderParser.TryParse(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value), options ?? Gbp, out _, out var error) ? null : error;

    private static string Order(string fields) => $$"""{"orderId":"o1","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1{{fields}}}""";

    [Fact]
    public void The_design_example_parses_exactly()
    {
        Assert.True(OrderParser.TryParse("17850"u8, Encoding.UTF8.GetBytes(Example), Gbp, out var order, out _));

        Assert.Equal(("536365", "17850", DateTimeOffset.Parse("2010-12-01T08:26:00Z"), OrderKind.Purchase, 139.12m),
            (order.OrderId, order.CustomerId, order.Timestamp, order.Kind, order.Amount));
        Assert.Equal(("GBP", "United Kingdom", "web"), (order.Currency, order.Region, order.Channel));
        Assert.Equal(new OrderItem("85123A", null, 6, 2.55m), Assert.Single(order.Items));
    }

    [Fact]
    public void Serialising_and_parsing_again_gives_the_same_order()
    {
        OrderParser.TryParse("17850"u8, Encoding.UTF8.GetBytes(Example), Gbp, out var order, out _);

        Assert.True(OrderParser.TryParse("17850"u8, OrderJson.Serialize(order!), Gbp, out var again, out var error), error);

        Assert.Equal(order! with { Items = [] }, again! with { Items = [] });
        Assert.Equal(order!.Items, again!.Items);
    }

    [Theory]
    [InlineData("this is not json", "value is not valid JSON")]
    [InlineData("[1,2]", "value is not a JSON object")]
    [InlineData("", "value is empty")]
    [InlineData("""{"customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1}""", "required field 'orderId' is missing")]
    [InlineData("""{"orderId":"o1","timestamp":"2011-01-10T08:00:00Z","amount":1}""", "required field 'customerId' is missing")]
    [InlineData("""{"orderId":"o1","customerId":"c1","amount":1}""", "required field 'timestamp' is missing")]
    [InlineData("""{"orderId":"o1","customerId":"c1","timestamp":"2011-01-10T08:00:00Z"}""", "required field 'amount' is missing")]
    [InlineData("""{"orderId":1,"customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1}""", "'orderId' must be a string")]
    [InlineData("""{"orderId":"","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1}""", "'orderId' is empty")]
    [InlineData("""{"orderId":"o1","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":"12"}""", "'amount' must be a number")]
    [InlineData("""{"orderId":"o1","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":"NaN"}""", "'amount' must be a number")]
    [InlineData("""{"orderId":"o1","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":-0.01}""", "'amount' -0.01 is negative")]
    [InlineData("""{"orderId":"o1","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1000000000.01}""", "'amount' is over 1e9")]
    [InlineData("""{"orderId":"o1","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1e400}""", "'amount' is not a finite number in range")]
    [InlineData("""{"orderId":"o1","customerId":"c1","timestamp":"2011-01-10T08:00:00","amount":1}""", "'timestamp' '2011-01-10T08:00:00' has no UTC offset")]
    [InlineData("""{"orderId":"o1","customerId":"c1","timestamp":"yesterday","amount":1}""", "'timestamp' 'yesterday' is not an RFC 3339 date-time")]
    [InlineData("""{"orderId":"o1","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1,"kind":"gift"}""", "'kind' 'gift' must be purchase or return")]
    [InlineData("""{"orderId":"o1","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1,"currency":"USD"}""", "'currency' USD differs from the deployment currency GBP")]
    [InlineData("""{"orderId":"o1","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1,"amount":2}""", "duplicate field 'amount'")]
    [InlineData("""{"orderId":"o1","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1,"items":[{"sku":"a","quantity":0,"unitPrice":1}]}""", "items[0].quantity must be a whole number > 0")]
    [InlineData("""{"orderId":"o1","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1,"items":[{"sku":"a","quantity":1.5,"unitPrice":1}]}""", "items[0].quantity must be a whole number > 0")]
    [InlineData("""{"orderId":"o1","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1,"items":[{"sku":"a","quantity":1,"unitPrice":1},{"sku":"b","quantity":1,"unitPrice":-2}]}""", "items[1].unitPrice is negative")]
    [InlineData("""{"orderId":"o1","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1,"items":[{"quantity":1,"unitPrice":1}]}""", "items[0].sku is missing")]
    [InlineData("""{"orderId":"o1","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1} {}""", "value is not valid JSON")]
    public void Each_kind_of_bad_input_gets_its_own_reason(string value, string reason)
    {
        Assert.StartsWith(reason, Reason(value));
    }

    [Fact]
    public void An_over_long_id_is_refused()
    {
        var value = $$"""{"orderId":"o1","customerId":"{{new string('c', 129)}}","timestamp":"2011-01-10T08:00:00Z","amount":1}""";

        Assert.Equal("'customerId' is longer than 128 characters", Reason(value, key: new string('c', 129)));
    }

    [Fact]
    public void A_value_over_one_mebibyte_is_refused_before_it_is_read()
    {
        Assert.Equal("value is 1572864 bytes, over the 1048576-byte limit", Reason(new string(' ', 1_572_864)));
    }

    [Theory]
    [InlineData("c2", "record key 'c2' differs from customerId 'c1'")]
    [InlineData("", "record has no key; the key must be the customerId")]
    public void The_record_key_must_be_the_customer_id(string key, string reason)
    {
        Assert.Equal(reason, Reason(Order(""), key));
    }

    [Fact]
    public void Deep_nesting_invalid_utf8_and_huge_numbers_are_reasons_not_crashes()
    {
        var deep = Order($",\"x\":{new string('[', 10_000)}{new string(']', 10_000)}");
        Assert.StartsWith("value is not valid JSON", Reason(deep));

        var invalidUtf8 = Encoding.UTF8.GetBytes(Order(",\"region\":\"XX\"")).ToArray();
        var at = Array.IndexOf(invalidUtf8, (byte)'X');
        invalidUtf8[at] = 0xC3;
        invalidUtf8[at + 1] = 0x28;
        Assert.False(OrderParser.TryParse("c1"u8, invalidUtf8, Gbp, out _, out var error));
        Assert.NotNull(error);

        Assert.Equal("'amount' is not a finite number in range", Reason(Order("").Replace("\"amount\":1", $"\"amount\":{new string('9', 400)}")));
    }

    [Fact]
    public void A_denormal_amount_is_applied_as_zero()
    {
        Assert.True(OrderParser.TryParse("c1"u8, Encoding.UTF8.GetBytes(Order("").Replace("\"amount\":1", "\"amount\":5e-324")), Gbp, out var order, out var error), error);
        Assert.Equal(0m, order.Amount);
    }

    [Fact]
    public void Unknown_fields_and_any_currency_without_a_deployment_currency_are_accepted()
    {
        var value = Order(",\"currency\":\"USD\",\"loyalty\":{\"tier\":[1,2,{\"x\":null}]},\"note\":\"hi\"");

        Assert.Null(Reason(value, options: new OrderValidationOptions()));
    }

    [Fact]
    public void Ids_with_awkward_characters_are_kept_exactly()
    {
        const string id = "a b,c=d\"e\\f g😀";
        var value = $$"""{"orderId":"o1","customerId":{{System.Text.Json.JsonSerializer.Serialize(id)}},"timestamp":"2011-01-10T08:00:00+01:00","amount":1,"kind":"return"}""";

        Assert.True(OrderParser.TryParse(Encoding.UTF8.GetBytes(id), Encoding.UTF8.GetBytes(value), Gbp, out var order, out var error), error);
        Assert.Equal(id, order.CustomerId);
        Assert.Equal(OrderKind.Return, order.Kind);
        Assert.Equal(TimeSpan.FromHours(1), order.Timestamp.Offset);
    }

    [Theory]
    [InlineData("line\nbreak", "'customerId' holds a control character (U+000A)")]
    [InlineData("ends\\", "'customerId' has a backslash before a comma, space, equals sign or backslash, or at its end")]
    [InlineData("a\\,b", "'customerId' has a backslash before a comma, space, equals sign or backslash, or at its end")]
    public void Ids_that_line_protocol_cannot_carry_are_refused(string id, string reason)
    {
        var value = $$"""{"orderId":"o1","customerId":{{System.Text.Json.JsonSerializer.Serialize(id)}},"timestamp":"2011-01-10T08:00:00Z","amount":1}""";

        Assert.Equal(reason, Reason(value, key: id));
    }

    [Fact]
    public void An_id_is_refused_for_exactly_the_characters_that_char_IsControl_names()
    {
        for (var c = char.MinValue; c < char.MaxValue; c++)
        {
            var id = $"a{c}b";
            var value = $$"""{"orderId":"o1","customerId":{{System.Text.Json.JsonSerializer.Serialize(id)}},"timestamp":"2011-01-10T08:00:00Z","amount":1}""";
            var reason = char.IsSurrogate(c) ? null : Reason(value, key: id);
            Assert.True(char.IsSurrogate(c) || (reason is not null) == char.IsControl(c), $"U+{(int)c:X4}: {reason}");
        }
    }

    [Fact]
    public void Timestamps_read_the_quick_way_are_the_instants_and_offsets_the_exact_formats_give()
    {
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var instant = new DateTimeOffset(1700, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks((long)(random.NextDouble() * 560 * 365 * TimeSpan.TicksPerDay));
            var digits = random.Next(8);
            var fraction = digits > 0 ? "." + instant.ToString("fffffff")[..digits] : "";
            var offset = random.Next(3) switch { 0 => "Z", 1 => "+05:30", _ => "-11:00" };
            var text = instant.ToString("yyyy-MM-dd'T'HH:mm:ss") + fraction + offset;
            var exact = DateTimeOffset.ParseExact(text, ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK"], System.Globalization.CultureInfo.InvariantCulture);
            // As written by hand, and as System.Text.Json's writers escape it ("+" as "\u002B").
            foreach (var written in new[] { text, text.Replace("+", "\\u002B", StringComparison.Ordinal) })
            {
                var value = $$"""{"orderId":"o1","customerId":"c1","timestamp":"{{written}}","amount":1}""";

                Assert.True(OrderParser.TryParse("c1"u8, Encoding.UTF8.GetBytes(value), Gbp, out var order, out var error), error);
                Assert.Equal((exact.UtcTicks, exact.Offset), (order.Timestamp.UtcTicks, order.Timestamp.Offset));
            }
        }
    }

    [Theory]
    [InlineData("2011-01-10T08:00:00.12345678Z", "is not an RFC 3339 date-time")]
    [InlineData("2011-01-10T08:00Z", "is not an RFC 3339 date-time")]
    [InlineData("2011-01-10", "is not an RFC 3339 date-time")]
    [InlineData("2011-01-10 08:00:00Z", "is not an RFC 3339 date-time")]
    [InlineData("2011-01-10T08:00:00+0100", "has no UTC offset")]
    [InlineData("2011-01-10T08:00:00.5", "has no UTC offset")]
    public void Timestamps_of_other_shapes_are_judged_by_the_exact_formats(string timestamp, string reason)
    {
        Assert.Contains(reason, Reason($$"""{"orderId":"o1","customerId":"c1","timestamp":"{{timestamp}}","amount":1}"""));
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00Z", "outside the range")]
    [InlineData("9999-12-31T00:00:00Z", "outside the range")]
    [InlineData("2026-01-03T00:00:00Z", "later than the clock allows")]
    public void Timestamps_no_time_series_can_hold_or_beyond_the_clock_are_refused(string timestamp, string reason)
    {
        var options = Gbp with { NotAfter = DateTimeOffset.Parse("2026-01-02T00:00:00Z") };
        var value = $$"""{"orderId":"o1","customerId":"c1","timestamp":"{{timestamp}}","amount":1}""";

        Assert.Contains(reason, Reason(value, options: options));
        Assert.Null(Reason(value.Replace(timestamp, "2026-01-01T23:00:00Z"), options: options));
    }
}
