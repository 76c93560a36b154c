using System.Text.RegularExpressions;

namespace StreamMetrics.Core.Redaction;

/// <summary>
/// Hides the user and password a URL or a host list may carry (<c>http://user:pass@host</c>,
/// <c>user:pass@host:9092,host2:9092</c>) before it is shown in a log line or an error.
/// </summary>
public static partial class UrlRedaction
{
    public static string Redact(string text) => UserInfo().Replace(text, "***@");

    // Textual, so that it also hides credentials in a URL too malformed for System.Uri to parse, and in a
    // client library's message that quotes one. A host list has no scheme, so user info may also start
    // the text or follow a separator.
    [GeneratedRegex("""(?<=://|^|[\s,;'"(\[=])[^/@\s,;'"()\[\]=]*@""")]
    private static partial Regex UserInfo();
}
