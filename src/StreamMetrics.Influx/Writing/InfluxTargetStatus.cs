namespace StreamMetrics.Influx.Writing;

/// <summary>What stands between the writer and its database or bucket, if anything.</summary>
public enum InfluxTargetProblem
{
    None,

    /// <summary>404: the database (v1) or the bucket or org (v2) does not exist.</summary>
    Missing,

    /// <summary>401 or 403: the credentials are refused.</summary>
    Refused,

    /// <summary>No answer, a timeout or a 5xx: it may answer later.</summary>
    Unreachable,
}

/// <summary>The answer of <see cref="InfluxTargetCheck"/>: the problem and one line that names the key to fix, never a secret.</summary>
public sealed record InfluxTargetStatus(InfluxTargetProblem Problem, string Message)
{
    public static readonly InfluxTargetStatus Fine = new(InfluxTargetProblem.None, "");

    /// <summary>Missing or refused: a configuration problem that retrying alone will not solve.</summary>
    public bool IsConfigurationProblem => Problem is InfluxTargetProblem.Missing or InfluxTargetProblem.Refused;
}
