using System.CommandLine;
using System.CommandLine.Invocation;

namespace StreamMetrics.Worker.Cli;

/// <summary>The <c>streammetrics</c> command line: every verb, each with its own <c>--help</c>.</summary>
public static class StreamMetricsCommand
{
    // A mistyped command line gets its errors and a pointer to the help, not the help itself: a few lines, not a page.
    private const int MaxErrorLines = 4;

    public static RootCommand Create()
    {
        var root = new RootCommand($"StreamMetrics: customer order events from Kafka, per-customer metrics in InfluxDB. {ExitCodes.Summary}")
        {
            RunVerb.Create(),
            DemoVerb.Create(),
            DevKafkaVerb.Create(),
            SimulateVerb.Create(),
            ReplayVerb.Create(),
            BacktestVerb.Create(),
            LagVerb.Create(),
        };
        root.Options.Add(GlobalOptions.Set);
        return root;
    }

    public static async Task<int> InvokeAsync(string[] args)
    {
        var parse = Create().Parse(args);
        if (parse.Action is ParseErrorAction) return await ReportAsync(parse, "streammetrics");
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(2) });
    }

    /// <summary>Bad usage of <paramref name="program"/>: each error on its own line, then where the usage is explained; exit code 2.</summary>
    public static async Task<int> ReportAsync(ParseResult parse, string program)
    {
        foreach (var error in parse.Errors.Select(e => e.Message).Distinct().Take(MaxErrorLines))
            await Console.Error.WriteLineAsync(error);
        var verb = parse.CommandResult.Command is RootCommand ? "" : $" {parse.CommandResult.Command.Name}";
        await Console.Error.WriteLineAsync($"'{program}{verb} --help' shows the usage");
        return ExitCodes.Usage;
    }
}
