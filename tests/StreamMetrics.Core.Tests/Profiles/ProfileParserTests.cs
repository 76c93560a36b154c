using System.Text;
using StreamMetrics.Core.Profiles;

namespace StreamMetrics.Core.Tests.Profiles;

public sealed class ProfileParserTests
{
    [Fact]
    public void A_profile_keeps_its_string_attributes_and_ignores_other_fields()
    {
        var record = Parse("c1", """{"customerId":"c1","updatedAt":"2011-01-01","attributes":{"age_band":"25-34","gender":"f"}}""");

        Assert.Null(record.Error);
        Assert.Equal("c1", record.CustomerId);
        Assert.Equal(new Dictionary<string, string> { ["age_band"] = "25-34", ["gender"] = "f" }, record.Attributes);
    }

    [Fact]
    public void A_record_without_a_value_removes_the_profile()
    {
        var record = ProfileParser.Parse("c1"u8, null);

        Assert.Equal(("c1", (IReadOnlyDictionary<string, string>?)null, (string?)null), (record.CustomerId, record.Attributes, record.Error));
    }

    [Theory]
    [InlineData("c1", "not json", "value is not valid JSON")]
    [InlineData("c1", "[1]", "value is not a JSON object")]
    [InlineData("c1", """{"attributes":{}}""", "field 'customerId' is missing or not a string")]
    [InlineData("c2", """{"customerId":"c1","attributes":{}}""", "record key 'c2' differs from customerId 'c1'")]
    [InlineData("c1", """{"customerId":"c1"}""", "field 'attributes' is missing or not a JSON object")]
    [InlineData("c1", """{"customerId":"c1","attributes":{"age":34}}""", "attribute 'age' is number, not a string")]
    [InlineData("c1", """{"customerId":"c1","attributes":{"a":"x","a":"y"}}""", "attribute 'a' appears twice")]
    [InlineData("c1", """{"customerId":"c1","attributes":{"a":"line\nbreak"}}""", "attribute 'a' holds a control character (U+000A)")]
    [InlineData("", """{"customerId":"c1","attributes":{}}""", "record has no key; the key must be the customerId")]
    public void A_record_that_is_not_a_profile_says_why(string key, string value, string reason)
    {
        var record = Parse(key, value);

        Assert.NotNull(record.Error);
        Assert.StartsWith(reason, record.Error);
        Assert.Null(record.Attributes);
    }

    [Fact]
    public void An_attribute_as_long_as_an_id_is_not_a_segment()
    {
        var record = Parse("c1", $$$"""{"customerId":"c1","attributes":{"email":"{{{new string('x', 65)}}}"}}""");

        Assert.Equal("attribute 'email' is 65 characters long, over the 64-character limit of a segment", record.Error);
    }

    private static ProfileRecord Parse(string key, string value) => ProfileParser.Parse(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value));
}
