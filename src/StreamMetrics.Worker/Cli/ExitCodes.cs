namespace StreamMetrics.Worker.Cli;

/// <summary>
/// What every verb's exit code means (README, "Exit codes"): scripts and orchestrators can tell a run
/// that may succeed when tried again (1) from one that will fail the same way until it is fixed (2).
/// </summary>
public static class ExitCodes
{
    /// <summary>Done: everything asked for was done.</summary>
    public const int Done = 0;

    /// <summary>Failed while running: Kafka or InfluxDB unreachable, the orders topic not there yet, records not delivered, a stop that ran out of time.</summary>
    public const int Failed = 1;

    /// <summary>Bad usage or configuration: an unknown option or key, a bad value, a file of the wrong format, a missing database or an unusable topic, refused credentials.</summary>
    public const int Usage = 2;

    /// <summary>The contract in one line, for the top-level help.</summary>
    public const string Summary = "Exit codes: 0 done, 1 failed while running, 2 bad usage or configuration.";
}
