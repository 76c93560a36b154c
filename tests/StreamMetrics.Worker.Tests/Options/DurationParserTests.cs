using StreamMetrics.Worker.Options;

namespace StreamMetrics.Worker.Tests.Options;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h", 3600)]
    [InlineData("1.5h", 5400)]
    [InlineData("2d", 172_800)]
    [InlineData("00:00:30", 30)]
    [InlineData("00:00:00.200", 0.2)]
    [InlineData("1.00:00:00", 86_400)]
    [InlineData("0", 0)]
    public void Units_and_dotnet_time_spans_are_read(string text, double seconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration, out var problem), problem);
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Fact]
    public void A_bare_number_is_refused_with_the_spellings_it_could_have_meant()
    {
        Assert.False(DurationParser.TryParse("30", out _, out var problem));
        Assert.Equal("has no unit: write 30s, 30m, 30h or 30d (or [d.]hh:mm:ss)", problem);
    }

    [Theory]
    [InlineData("1:30")]
    [InlineData("abc")]
    [InlineData("5 s")]
    [InlineData("5M")]
    [InlineData("")]
    public void Anything_else_is_refused_naming_the_accepted_forms(string text)
    {
        Assert.False(DurationParser.TryParse(text, out _, out var problem));
        Assert.Equal("is not a duration: write 30s, 5m, 1h, 2d or [d.]hh:mm:ss", problem);
    }

    [Theory]
    [InlineData("-5s")]
    [InlineData("-00:05:00")]
    public void A_negative_duration_is_refused(string text)
    {
        Assert.False(DurationParser.TryParse(text, out _, out var problem));
        Assert.Equal("must not be negative", problem);
    }
}
