using System.Globalization;
using System.Text.RegularExpressions;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>Reads samples out of the Prometheus text exposition that <c>/metrics</c> serves.</summary>
public static partial class PrometheusText
{
    /// <summary>The values of a series' labelled samples whose labels contain <paramref name="labelPart"/>.</summary>
    public static IEnumerable<double> Values(string exposition, string name, string labelPart) =>
        SampleLine().Matches(exposition)
            .Where(m => m.Groups["name"].Value == name && m.Groups["labels"].Value.Contains(labelPart, StringComparison.Ordinal))
            .Select(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    /// <summary>The value of a series without labels.</summary>
    public static double Value(string exposition, string name) =>
        double.Parse(Regex.Match(exposition, $@"^{name} (\S+)$", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<name>[a-z_]+)\{(?<labels>[^}]*)\} (?<value>\S+)$", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
