using System.Globalization;

namespace StreamMetrics.Worker.Options;

/// <summary>
/// The one syntax of durations, on the command line and in configuration: a number and a unit (500ms, 30s,
/// 5m, 1h, 2d) or .NET's <c>[d.]hh:mm:ss</c>. A bare number is refused: to TimeSpan "30" is 30 days, to a
/// reader it is more likely 30 seconds.
/// </summary>
public static class DurationParser
{
    /// <summary>The accepted forms, as help and error messages show them.</summary>
    public const string Forms = "30s, 5m, 1h, 2d or [d.]hh:mm:ss";

    private static readonly (string Suffix, double Seconds)[] Units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)];

    /// <summary>Reads a duration; when it cannot, <paramref name="problem"/> says why, to follow the key and the value quoted.</summary>
    public static bool TryParse(string text, out TimeSpan duration, out string problem)
    {
        duration = default;
        problem = "";
        text = text.Trim();
        if (text.StartsWith('-'))
        {
            problem = "must not be negative";
            return false;
        }
        if (text == "0") return true; // zero is zero in every unit
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _))
        {
            problem = $"has no unit: write {text}s, {text}m, {text}h or {text}d (or [d.]hh:mm:ss)";
            return false;
        }
        foreach (var (suffix, seconds) in Units)
        {
            if (!text.EndsWith(suffix, StringComparison.Ordinal)) continue;
            var number = text[..^suffix.Length];
            if (number.Length == 0 || !char.IsAsciiDigit(number[^1])) continue; // "5ms" is not "5m" followed by "s"
            if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)) break;
            duration = TimeSpan.FromSeconds(value * seconds);
            return true;
        }
        // Only the full hh:mm:ss: "1:30" could be read as minutes and seconds as well as hours and minutes.
        if (text.Count(c => c == ':') == 2 && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration)) return true;
        problem = $"is not a duration: write {Forms}";
        return false;
    }
}
