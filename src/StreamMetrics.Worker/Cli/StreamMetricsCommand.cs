using System.CommandLine;

namespace StreamMetrics.Worker.Cli;

/// <summary>The <c>streammetrics</c> command line: every verb, each with its own <c>--help</c>.</summary>
public static class StreamMetricsCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("StreamMetrics: customer order events from Kafka, per-customer metrics in InfluxDB.")
        {
            RunVerb.Create(),
            DemoVerb.Create(),
            DevKafkaVerb.Create(),
            SimulateVerb.Create(),
            ReplayVerb.Create(),
            BacktestVerb.Create(),
            BenchVerb.Create(),
            LagVerb.Create(),
        };
        root.Options.Add(GlobalOptions.Set);
        return root;
    }

    public static Task<int> InvokeAsync(string[] args) =>
        Create().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(2) });
}
