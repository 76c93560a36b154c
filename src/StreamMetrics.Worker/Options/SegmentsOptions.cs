namespace StreamMetrics.Worker.Options;

/// <summary>The <c>Segments</c> section: which profile attributes are segment schemes beside rfm, region and channel.</summary>
public sealed class SegmentsOptions
{
    /// <summary>Profile attributes (comma-separated), each a scheme of <c>segment_metrics</c>; empty turns profiles off.</summary>
    public string Attributes { get; set; } = "age_band,gender,income_band";

    public IReadOnlyList<string> AttributeList =>
        [.. Attributes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];
}
