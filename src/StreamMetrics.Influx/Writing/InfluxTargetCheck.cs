namespace StreamMetrics.Influx.Writing;

/// <summary>
/// Asks InfluxDB, before the first point, whether the configured database (v1) or bucket (v2) exists and the
/// credentials are accepted. It sends an empty write: the answer a real write would get, with nothing written.
/// </summary>
public static class InfluxTargetCheck
{
    public static async Task<InfluxTargetStatus> CheckAsync(InfluxOptions options, CancellationToken cancellation, HttpMessageHandler? handler = null)
    {
        using var requests = new InfluxRequests(options, handler);
        var outcome = await requests.SendAsync([], cancellation);
        var at = UrlRedaction.Redact(options.Url);
        return outcome switch
        {
            { Status: 404 } => new InfluxTargetStatus(InfluxTargetProblem.Missing, options.IsV2
                ? $"InfluxDB at {at}: bucket '{options.Bucket}' of org '{options.Org}' does not exist; create it, or correct Influx:Bucket and Influx:Org"
                : $"InfluxDB at {at}: database '{options.Database}' does not exist; create it (CREATE DATABASE \"{options.Database}\"), or correct Influx:Database"),
            { Status: 401 or 403 } => new InfluxTargetStatus(InfluxTargetProblem.Refused,
                $"InfluxDB at {at} refuses the credentials ({outcome.Status}); check {(options.IsV2 ? "Influx:Token" : "Influx:Username and Influx:Password")}"),
            { Kind: SendOutcomeKind.Transient } => new InfluxTargetStatus(InfluxTargetProblem.Unreachable, $"InfluxDB at {at} does not answer: {outcome.Reason}"),
            // Anything else, a 400 for the empty body included, comes after InfluxDB found the target and accepted the credentials.
            _ => InfluxTargetStatus.Fine,
        };
    }
}
