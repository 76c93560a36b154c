using StreamMetrics.Worker.Options;

namespace StreamMetrics.Worker.Tests.Options;

public sealed class SegmentsOptionsTests
{
    [Fact]
    public void The_default_schemes_are_age_band_gender_and_income_band()
    {
        var settings = new WorkerSettings();

        Assert.Equal(["age_band", "gender", "income_band"], settings.Segments.AttributeList);
        Assert.Empty(SegmentErrors(settings));
    }

    [Fact]
    public void Spaces_and_repeats_are_ignored_and_empty_turns_profiles_off()
    {
        Assert.Equal(["tier", "gender"], new SegmentsOptions { Attributes = " tier, gender ,tier," }.AttributeList);
        Assert.Empty(new SegmentsOptions { Attributes = "" }.AttributeList);
    }

    [Fact]
    public void An_attribute_named_like_a_scheme_of_its_own_stops_the_start()
    {
        var settings = new WorkerSettings { Segments = { Attributes = "age_band,region" } };

        Assert.Equal("Segments:Attributes names 'region', which is already a scheme of its own; rename the profile attribute", Assert.Single(SegmentErrors(settings)));
    }

    private static IEnumerable<string> SegmentErrors(WorkerSettings settings) =>
        SettingsValidator.Validate(settings).Where(error => error.StartsWith("Segments:", StringComparison.Ordinal));
}
