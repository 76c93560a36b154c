using StreamMetrics.Core.Redaction;

namespace StreamMetrics.Influx.Writing;

/// <summary>The <c>Influx</c> configuration section: where points go and how the writer batches and retries.</summary>
public sealed class InfluxOptions
{
    /// <summary>Base URL of InfluxDB; empty means none is configured.</summary>
    public string Url { get; set; } = "";

    /// <summary><c>v1</c> (<c>/write</c>) or <c>v2</c> (<c>/api/v2/write</c>).</summary>
    public string ApiVersion { get; set; } = "v1";

    public string Database { get; set; } = "streammetrics";

    public string RetentionPolicy { get; set; } = "";

    public string Org { get; set; } = "";

    public string Bucket { get; set; } = "";

    public string Token { get; set; } = "";

    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    public int BatchSize { get; set; } = 5000;

    // Short enough for a closed window to reach InfluxDB within a second (BENCHMARKS.md); under load, batches fill before it passes.
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The writer's bound: when this many points wait, submitters wait too (backpressure).</summary>
    public int MaxBufferedPoints { get; set; } = 200_000;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where points InfluxDB refuses for good go; empty means <c>&lt;Kafka:GroupId&gt;-points.dlq</c>.</summary>
    public string DeadLetterTopic { get; set; } = "";

    /// <summary>Write the per-customer measurements; off for populations too large for InfluxDB 1.x/2.x series.</summary>
    public bool CustomerSeries { get; set; } = true;

    public bool IsV2 => string.Equals(ApiVersion, "v2", StringComparison.OrdinalIgnoreCase);

    /// <summary>One line per problem, naming the key; secrets are never quoted.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Url.Length > 0 && (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            errors.Add($"Influx:Url '{UrlRedaction.Redact(Url)}' is not an absolute http(s) URL");
        if (ApiVersion is not ("v1" or "v2" or "V1" or "V2"))
            errors.Add($"Influx:ApiVersion '{ApiVersion}' must be v1 or v2");
        else if (Url.Length > 0 && IsV2 && (Org.Length == 0 || Bucket.Length == 0))
            errors.Add("Influx:Org and Influx:Bucket are required with Influx:ApiVersion v2");
        else if (Url.Length > 0 && !IsV2 && Database.Length == 0)
            errors.Add("Influx:Database is empty; the v1 write path needs a database");
        if (BatchSize <= 0) errors.Add($"Influx:BatchSize {BatchSize} must be > 0");
        if (MaxBufferedPoints < BatchSize) errors.Add($"Influx:MaxBufferedPoints {MaxBufferedPoints} must be at least Influx:BatchSize ({BatchSize})");
        if (FlushInterval <= TimeSpan.Zero) errors.Add($"Influx:FlushInterval {FlushInterval} must be a positive duration");
        if (Timeout <= TimeSpan.Zero) errors.Add($"Influx:Timeout {Timeout} must be a positive duration");
        if (MaxRetryDelay <= TimeSpan.Zero) errors.Add($"Influx:MaxRetryDelay {MaxRetryDelay} must be a positive duration");
        return errors;
    }
}
