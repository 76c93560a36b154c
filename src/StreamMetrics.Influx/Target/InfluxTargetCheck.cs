using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using InfluxDB.Client;
using InfluxDB.Client.Core.Exceptions;
using StreamMetrics.Influx.Writing;

namespace StreamMetrics.Influx.Target;

/// <summary>
/// Asks InfluxDB, before anything is written, whether the configured target exists and the credentials are accepted,
/// so that a run can stop with one line naming the key to fix instead of retrying writes that cannot succeed.
/// </summary>
/// <remarks>
/// v1 (<c>Influx:Database</c>): <c>/ping</c> (is it an InfluxDB?), then <c>SHOW DATABASES</c> and, with
/// <c>Influx:RetentionPolicy</c>, <c>SHOW RETENTION POLICIES</c> over InfluxQL, with the writer's credentials. v2 (<c>Influx:Org</c>, <c>Influx:Bucket</c>, <c>Influx:Token</c>): the
/// bucket looked up by name in its org through InfluxDB.Client's buckets API, which is how InfluxDB 2.x says both whether
/// the bucket exists and whether the token is accepted. Neither writes a point.
/// </remarks>
public sealed class InfluxTargetCheck(InfluxOptions options)
{
    /// <summary>Checks the target once; never throws for what the server answers or fails to.</summary>
    public async Task<InfluxTargetCheckResult> CheckAsync(CancellationToken cancellation)
    {
        var result = options.IsV2 ? await CheckBucketAsync(cancellation) : await CheckDatabaseAsync(cancellation);
        return result with { Message = Redact(result.Message) };
    }

    /// <summary>Where InfluxDB is, for messages: scheme, host and port only, so that credentials in a URL never reach a log.</summary>
    private string Server => Uri.TryCreate(options.Url, UriKind.Absolute, out var url) ? $"{url.Scheme}://{url.Host}:{url.Port}" : options.Url;

    private async Task<InfluxTargetCheckResult> CheckDatabaseAsync(CancellationToken cancellation)
    {
        using var http = new HttpClient { Timeout = options.Timeout };
        if (await PingAsync(http, cancellation) is { } notInflux) return notInflux;
        var databases = await QueryAsync(http, "SHOW DATABASES", cancellation);
        if (databases.Problem is { } problem) return problem;
        if (!databases.Names.Contains(options.Database))
        {
            var who = options.Username.Length > 0 ? $", or user '{options.Username}' may not use it" : "";
            return new(InfluxTargetStatus.Missing,
                $"Influx:Database '{options.Database}' does not exist on {Server}{who}; create it with CREATE DATABASE \"{options.Database}\"");
        }
        if (options.RetentionPolicy.Length == 0) return Ready($"database '{options.Database}'");

        var policies = await QueryAsync(http, $"SHOW RETENTION POLICIES ON \"{options.Database.Replace("\"", "\\\"", StringComparison.Ordinal)}\"", cancellation);
        if (policies.Problem is { } policyProblem) return policyProblem;
        return policies.Names.Contains(options.RetentionPolicy)
            ? Ready($"database '{options.Database}', retention policy '{options.RetentionPolicy}'")
            : new(InfluxTargetStatus.Missing, $"Influx:RetentionPolicy '{options.RetentionPolicy}' does not exist on database '{options.Database}' at {Server}");
    }

    /// <summary>
    /// Whether an InfluxDB answers at all, and is one: InfluxDB's <c>/ping</c> names its version in a header. Other servers
    /// that take <c>/write</c> (VictoriaMetrics) answer InfluxQL's <c>SHOW DATABASES</c> with a list of their own, which says
    /// nothing about the database a write will name.
    /// </summary>
    private async Task<InfluxTargetCheckResult?> PingAsync(HttpClient http, CancellationToken cancellation)
    {
        try
        {
            using var ping = await http.GetAsync($"{options.Url.TrimEnd('/')}/ping", cancellation);
            return ping.Headers.Contains("X-Influxdb-Version")
                ? null
                : new(InfluxTargetStatus.Unverified, $"{Server} is not an InfluxDB (its /ping names no version): Influx:Database '{options.Database}' is checked by the first write");
        }
        catch (Exception e) when (Unreachable(e, cancellation) is { } unreachable)
        {
            return unreachable;
        }
    }

    /// <summary>Runs a SHOW statement and returns the first column of its rows (the names), or what stood in the way.</summary>
    private async Task<(HashSet<string> Names, InfluxTargetCheckResult? Problem)> QueryAsync(HttpClient http, string statement, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{options.Url.TrimEnd('/')}/query")
        {
            Content = new FormUrlEncodedContent([new("q", statement)]),
        };
        // As the writer sends them: in a header, never in the URL, where proxies and access logs would keep them.
        if (options.Username.Length > 0)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}")));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellation);
        }
        catch (Exception e) when (Unreachable(e, cancellation) is { } unreachable)
        {
            return ([], unreachable);
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellation);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                return ([], Refused($"{(int)response.StatusCode} {InfluxMessage(body)}"));
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest or HttpStatusCode.MethodNotAllowed && !IsInfluxQlAnswer(body))
                return ([], new(InfluxTargetStatus.Unverified, $"{Server} has no InfluxQL /query ({(int)response.StatusCode}): Influx:Database '{options.Database}' is checked by the first write"));
            if (!response.IsSuccessStatusCode && !IsInfluxQlAnswer(body))
                return ([], new(InfluxTargetStatus.Failed, $"InfluxDB at {Server} answered {(int)response.StatusCode} {response.ReasonPhrase} to {statement}: {InfluxMessage(body)}"));
            return Names(body, statement);
        }
    }

    /// <summary>The names in an InfluxQL answer; an error in it is InfluxDB refusing the statement.</summary>
    private (HashSet<string> Names, InfluxTargetCheckResult? Problem) Names(string body, string statement)
    {
        JsonDocument answer;
        try
        {
            answer = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return ([], new(InfluxTargetStatus.Failed, $"{Server} answered {statement} with something other than InfluxQL's JSON: {Shorten(body.Trim())}"));
        }
        using var _ = answer;
        var result = answer.RootElement.TryGetProperty("results", out var results) && results.GetArrayLength() > 0 ? results[0] : answer.RootElement;
        if (result.TryGetProperty("error", out var error))
        {
            var text = error.GetString() ?? "";
            return ([], text.Contains("authoriz", StringComparison.OrdinalIgnoreCase) || text.Contains("privilege", StringComparison.OrdinalIgnoreCase)
                ? Refused(text)
                : new(InfluxTargetStatus.Failed, $"InfluxDB at {Server} refused {statement}: {text}"));
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (result.TryGetProperty("series", out var series))
            foreach (var table in series.EnumerateArray())
                // A server without databases answers with a series that has no values at all.
                if (table.TryGetProperty("values", out var rows))
                    foreach (var row in rows.EnumerateArray())
                        if (row[0].GetString() is { } name) names.Add(name);
        return (names, null);
    }

    private InfluxTargetCheckResult Refused(string answer) => new(InfluxTargetStatus.CredentialsRefused, options.Username.Length == 0
        ? $"InfluxDB at {Server} requires credentials ({answer}); set Influx:Username and Influx:Password"
        : $"InfluxDB at {Server} refused Influx:Username '{options.Username}' with Influx:Password ({answer})");

    private async Task<InfluxTargetCheckResult> CheckBucketAsync(CancellationToken cancellation)
    {
        var clientOptions = new InfluxDBClientOptions(options.Url)
        {
            Timeout = options.Timeout,
            Org = options.Org,
        };
        if (options.Token.Length > 0) clientOptions.Token = options.Token;
        using var client = new InfluxDBClient(clientOptions);
        try
        {
            var buckets = await client.GetBucketsApi().FindBucketsAsync(org: options.Org, name: options.Bucket, cancellationToken: cancellation);
            return buckets.Any(b => b.Name == options.Bucket)
                ? Ready($"bucket '{options.Bucket}' of org '{options.Org}'")
                : BucketMissing(null);
        }
        catch (HttpException e) when (e.Status is 401 or 403)
        {
            return new(InfluxTargetStatus.CredentialsRefused, options.Token.Length == 0
                ? $"InfluxDB at {Server} requires Influx:Token ({e.Status} {e.Message})"
                : $"InfluxDB at {Server} refused Influx:Token for bucket '{options.Bucket}' of org '{options.Org}' ({e.Status} {e.Message})");
        }
        // InfluxDB 2.x says "not found" in a JSON body with a code; a 4xx without one comes from a server that has no
        // buckets API (VictoriaMetrics, InfluxDB 3, a 1.x answering /api/v2/write), which cannot say.
        catch (HttpException e) when (e.Status is >= 400 and < 500 && e.ErrorBody?["code"] is null)
        {
            return new(InfluxTargetStatus.Unverified, $"{Server} has no InfluxDB 2 buckets API ({e.Status}): Influx:Bucket '{options.Bucket}' is checked by the first write");
        }
        catch (HttpException e) when (e.Status == 404)
        {
            return BucketMissing(e.Message);
        }
        catch (HttpException e) when (e.Status != 0)
        {
            return new(InfluxTargetStatus.Failed, $"InfluxDB at {Server} answered {e.Status} when asked for bucket '{options.Bucket}' of org '{options.Org}': {e.Message}");
        }
        catch (Exception e) when (Unreachable(e, cancellation) is { } unreachable)
        {
            return unreachable;
        }
    }

    private InfluxTargetCheckResult BucketMissing(string? answer) => new(InfluxTargetStatus.Missing,
        $"Influx:Bucket '{options.Bucket}' of Influx:Org '{options.Org}' does not exist on {Server}, or Influx:Token may not read it" +
        (answer is null ? "" : $" (InfluxDB: {answer})"));

    private InfluxTargetCheckResult Ready(string what) => new(InfluxTargetStatus.Ready, $"InfluxDB at {Server} has {what}");

    /// <summary>No answer at all: refused connection, unknown host, timeout (but not the caller's own cancellation).</summary>
    private InfluxTargetCheckResult? Unreachable(Exception e, CancellationToken cancellation)
    {
        if (cancellation.IsCancellationRequested || e is not (OperationCanceledException or TimeoutException or HttpRequestException or InfluxException { Status: 0 }))
            return null;
        // HttpClient's timeout surfaces as a cancellation, which InfluxDB.Client wraps in its own exception.
        return Chain(e).Any(x => x is OperationCanceledException or TimeoutException)
            ? new(InfluxTargetStatus.Unreachable, $"InfluxDB at {Server} did not answer within Influx:Timeout {options.Timeout}")
            : new(InfluxTargetStatus.Unreachable, $"InfluxDB at {Server} cannot be reached: {Chain(e).Last().Message}");
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException) yield return x;
    }

    private static bool IsInfluxQlAnswer(string body) => body.TrimStart().StartsWith('{') && (body.Contains("\"results\"", StringComparison.Ordinal) || body.Contains("\"error\"", StringComparison.Ordinal));

    /// <summary>InfluxDB's own words from an error body (<c>{"error": …}</c> or <c>{"message": …}</c>), else the body, shortened.</summary>
    private static string InfluxMessage(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            foreach (var name in new[] { "error", "message" })
                if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String)
                    return Shorten(text.GetString()!);
        }
        catch (JsonException)
        {
            // not JSON: the text itself
        }
        return Shorten(body.Trim());
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";

    /// <summary>Whatever a server or a library put in a message, the secrets never leave it.</summary>
    private string Redact(string message)
    {
        foreach (var secret in new[] { options.Token, options.Password }.Where(s => s.Length > 0))
            message = message.Replace(secret, "***", StringComparison.Ordinal);
        return message;
    }
}
