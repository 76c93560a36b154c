using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using StreamMetrics.Core.Redaction;

namespace StreamMetrics.Influx.Writing;

/// <summary>Builds the v1 or v2 write request (gzip body, credentials in headers, never in the URL) and classifies the answer.</summary>
internal sealed class InfluxRequests : IDisposable
{
    private readonly InfluxOptions _options;
    private readonly HttpClient _http;
    private readonly Uri _writeUri;
    private readonly AuthenticationHeaderValue? _authorization;

    public InfluxRequests(InfluxOptions options, HttpMessageHandler? handler)
    {
        _options = options;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = options.Timeout;
        var baseUrl = options.Url.TrimEnd('/');
        _writeUri = options.IsV2
            ? new Uri($"{baseUrl}/api/v2/write?org={Uri.EscapeDataString(options.Org)}&bucket={Uri.EscapeDataString(options.Bucket)}&precision=ns")
            : new Uri($"{baseUrl}/write?db={Uri.EscapeDataString(options.Database)}&precision=n" +
                      (options.RetentionPolicy.Length > 0 ? $"&rp={Uri.EscapeDataString(options.RetentionPolicy)}" : ""));
        if (options.IsV2 && options.Token.Length > 0)
            _authorization = new AuthenticationHeaderValue("Token", options.Token);
        else if (!options.IsV2 && options.Username.Length > 0)
            _authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}")));
    }

    public async Task<SendOutcome> SendAsync(IEnumerable<ReadOnlyMemory<byte>> lines, CancellationToken stopping)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _writeUri) { Content = Gzip(lines) };
        request.Headers.Authorization = _authorization;
        try
        {
            using var response = await _http.SendAsync(request, stopping);
            return await ClassifyAsync(response, stopping);
        }
        catch (HttpRequestException e)
        {
            return new SendOutcome(SendOutcomeKind.Transient, null, $"cannot reach {UrlRedaction.Redact(_writeUri.GetLeftPart(UriPartial.Authority))}: {e.Message}");
        }
        catch (TaskCanceledException) when (!stopping.IsCancellationRequested)
        {
            return new SendOutcome(SendOutcomeKind.Transient, null, $"no answer within Influx:Timeout {_options.Timeout}");
        }
    }

    private async Task<SendOutcome> ClassifyAsync(HttpResponseMessage response, CancellationToken stopping)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300) return new SendOutcome(SendOutcomeKind.Acknowledged, status, "");
        var body = await response.Content.ReadAsStringAsync(stopping);
        var reason = $"{status} {response.ReasonPhrase}: {Shorten(body)}";
        return response.StatusCode switch
        {
            HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity => new SendOutcome(SendOutcomeKind.Rejected, status, reason),
            HttpStatusCode.RequestEntityTooLarge => new SendOutcome(SendOutcomeKind.TooLarge, status, reason),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                new SendOutcome(SendOutcomeKind.Refused, status, $"{reason} (check Influx:{(_options.IsV2 ? "Token" : "Username and Influx:Password")})"),
            HttpStatusCode.NotFound =>
                new SendOutcome(SendOutcomeKind.Refused, status, $"{reason} (does {(_options.IsV2 ? $"bucket '{_options.Bucket}' of org '{_options.Org}'" : $"database '{_options.Database}'")} exist?)"),
            HttpStatusCode.TooManyRequests => new SendOutcome(SendOutcomeKind.Transient, status, reason, RetryAfter: RetryAfter(response)),
            _ when status >= 500 => new SendOutcome(SendOutcomeKind.Transient, status, reason, RetryAfter: RetryAfter(response)),
            _ => new SendOutcome(SendOutcomeKind.Refused, status, reason),
        };
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } retryAfter) return null;
        if (retryAfter.Delta is { } delta) return delta;
        if (retryAfter.Date is { } date) return date - DateTimeOffset.UtcNow;
        return null;
    }

    private static ByteArrayContent Gzip(IEnumerable<ReadOnlyMemory<byte>> lines)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            foreach (var line in lines) gzip.Write(line.Span);
        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }

    private static string Shorten(string text) => text.Length <= 300 ? text.Trim() : text[..300] + "...";

    public void Dispose() => _http.Dispose();
}
