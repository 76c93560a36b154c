namespace StreamMetrics.Influx.Target;

/// <summary>What <see cref="InfluxTargetCheck"/> found about the configured database or bucket.</summary>
public enum InfluxTargetStatus
{
    /// <summary>The database (and retention policy) or the bucket exists and the credentials were accepted.</summary>
    Ready,

    /// <summary>
    /// The server answers but offers no way to look the target up (VictoriaMetrics, InfluxDB 3, InfluxDB 1.x behind
    /// <c>/api/v2/write</c>): the first write will tell.
    /// </summary>
    Unverified,

    /// <summary>The database, retention policy, org or bucket does not exist (or the credentials may not see it).</summary>
    Missing,

    /// <summary>The server refused the credentials, or they lack the permission.</summary>
    CredentialsRefused,

    /// <summary>No answer: nothing listens at <c>Influx:Url</c>, or not within <c>Influx:Timeout</c>.</summary>
    Unreachable,

    /// <summary>The server answered with an error that says nothing about the target (a 5xx, say); worth trying again.</summary>
    Failed,
}

/// <summary>The outcome of <see cref="InfluxTargetCheck"/>: a status, and one line for the operator that names the key to fix.</summary>
/// <param name="Message">Never holds <c>Influx:Token</c> or <c>Influx:Password</c>.</param>
public sealed record InfluxTargetCheckResult(InfluxTargetStatus Status, string Message)
{
    /// <summary>Writes may go ahead: the target exists, or the server cannot say and the first write will.</summary>
    public bool CanWrite => Status is InfluxTargetStatus.Ready or InfluxTargetStatus.Unverified;

    /// <summary>Only a change of configuration (or of the server's databases, buckets or users) helps: no retry will.</summary>
    public bool IsConfigurationProblem => Status is InfluxTargetStatus.Missing or InfluxTargetStatus.CredentialsRefused;
}
