namespace StreamMetrics.Influx.Writing;

/// <summary>How InfluxDB answered one write, sorted by what the writer does next.</summary>
internal enum SendOutcomeKind
{
    /// <summary>2xx: every point is written.</summary>
    Acknowledged,

    /// <summary>400 or 422: some of the points will never be accepted; which ones, only smaller batches tell.</summary>
    Rejected,

    /// <summary>413: split the batch.</summary>
    TooLarge,

    /// <summary>401, 403, 404 and other client errors: a configuration problem; keep the points and retry slowly.</summary>
    Refused,

    /// <summary>Network error, timeout, 429 or 5xx: retry with back-off.</summary>
    Transient,
}

/// <summary>The classified answer to one write request.</summary>
internal sealed record SendOutcome(SendOutcomeKind Kind, int? Status, string Reason, TimeSpan? RetryAfter = null);
