using System.CommandLine;
using StreamMetrics.Worker.Cli;

var root = new RootCommand("StreamMetrics: customer order events from Kafka, per-customer metrics in InfluxDB.")
{
    RunVerb.Create(),
    DemoVerb.Create(),
    DevKafkaVerb.Create(),
    SimulateVerb.Create(),
    ReplayVerb.Create(),
};
root.Options.Add(GlobalOptions.Set);
var parse = root.Parse(args);
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(2) });
