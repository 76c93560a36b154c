using System.Text.RegularExpressions;

namespace StreamMetrics.Influx.Writing;

/// <summary>Hides the user and password a URL may carry (<c>http://user:pass@host</c>) before it is shown in a log line or an error.</summary>
public static partial class UrlRedaction
{
    public static string Redact(string url) => UserInfo().Replace(url, "***@");

    // Textual, so that it also hides credentials in a URL too malformed for System.Uri to parse.
    [GeneratedRegex(@"(?<=://)[^/@\s]*@")]
    private static partial Regex UserInfo();
}
