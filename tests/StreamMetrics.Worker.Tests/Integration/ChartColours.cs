using StbImageSharp;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>
/// Finds the live view's series colours in a screenshot: a chart that drew its data leaves a line or points
/// in its colour; an empty page, a page whose script failed, or a chart without data leaves none.
/// </summary>
public static class ChartColours
{
    /// <summary>The colours of live.js, by what they draw.</summary>
    public static readonly IReadOnlyDictionary<string, (byte R, byte G, byte B)> Series = new Dictionary<string, (byte, byte, byte)>
    {
        ["throughput"] = (0x1f, 0x77, 0xb4),
        ["churn: new"] = (0x2c, 0xa0, 0x2c),
        ["churn: active"] = (0x17, 0xbe, 0xcf),
        ["churn: at risk"] = (0xff, 0x7f, 0x0e),
        ["churn: churned"] = (0xd6, 0x27, 0x28),
        ["demand: actual"] = (0x94, 0x67, 0xbd),
        ["demand: forecast"] = (0x8c, 0x56, 0x4b),
    };

    private const int Tolerance = 6;

    /// <summary>Pixels of each series colour in the PNG (a little off is still the colour: lines are anti-aliased).</summary>
    public static IReadOnlyDictionary<string, int> Count(string png)
    {
        var image = ImageResult.FromMemory(File.ReadAllBytes(png), ColorComponents.RedGreenBlue);
        var counts = Series.Keys.ToDictionary(name => name, _ => 0);
        var data = image.Data;
        for (var i = 0; i + 2 < data.Length; i += 3)
        {
            foreach (var (name, (r, g, b)) in Series)
                if (Math.Abs(data[i] - r) <= Tolerance && Math.Abs(data[i + 1] - g) <= Tolerance && Math.Abs(data[i + 2] - b) <= Tolerance)
                    counts[name]++;
        }
        return counts;
    }
}
