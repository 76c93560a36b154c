using System.CommandLine;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamMetrics.Kafka.Producers;
using StreamMetrics.Influx.Writing;
using StreamMetrics.Worker.Hosting;
using StreamMetrics.Worker.Observability;
using StreamMetrics.Worker.Pipeline;

namespace StreamMetrics.Worker.Cli;

/// <summary><c>run</c>: the worker, Kafka in and InfluxDB out.</summary>
public static class RunVerb
{
    public static Command Create()
    {
        var untilCaughtUp = new Option<bool>("--until-caught-up")
        {
            Description = "Read to the end offsets seen at start-up, emit every window (open ones too), commit and exit 0",
        };
        var endTime = GlobalOptions.InstantOption("--end-time",
            "With --until-caught-up: advance the watermark to this instant before the last emission");
        var command = new Command("run",
            "Run the worker: consume orders, keep per-customer state, write points to InfluxDB. Needs Kafka:BootstrapServers and Influx:Url, with " +
            "Influx:Database (v1) or Influx:Org, Influx:Bucket and Influx:Token (v2); points go nowhere else (demo writes them to a file without InfluxDB)") { untilCaughtUp, endTime };
        command.SetAction((parse, cancellation) => GlobalOptions.Guard(async () =>
        {
            var configuration = GlobalOptions.Configuration(parse);
            var settings = GlobalOptions.Load(configuration);
            if (string.IsNullOrWhiteSpace(settings.Influx.Url))
                throw new SettingsException("Influx:Url is empty; run writes to InfluxDB, e.g. --set Influx:Url=http://127.0.0.1:8086");

            using var host = WorkerHost.Build(configuration);
            await host.StartAsync(CancellationToken.None);
            var loggers = host.Services.GetRequiredService<ILoggerFactory>();
            using var records = new RecordCollector(settings.Kafka.ClientSettings);
            var refused = new RefusedPointsTopic(records, settings.PointsDeadLetterTopic, settings.Influx);
            var writer = new InfluxWriter(settings.Influx, loggers.CreateLogger<InfluxWriter>(), refused: refused);
            await using var sink = new InfluxPointSink(writer);
            using var pipelines = new WorkerPipelines(host.Services.GetRequiredService<ActorSystem>(), settings, sink, records, loggers);
            var metrics = new WorkerMetrics(settings, pipelines.Stats, writer.Counters, TimeProvider.System);
            await using var http = await MetricsServer.ServeAsync(settings, metrics, pipelines.Stats, writer.Counters, loggers.CreateLogger("StreamMetrics.Worker.Http"));
            var bounded = parse.GetValue(untilCaughtUp);
            var checks = new StartupChecks(settings, pipelines.Stats, loggers.CreateLogger<StartupChecks>(), TimeProvider.System);
            if (!await checks.WaitForKafkaAsync(bounded, cancellation) || !await checks.WaitForInfluxTargetAsync(bounded, cancellation))
            {
                // Stopped while waiting: nothing was read, so nothing is left undone.
                await host.StopAsync(CancellationToken.None);
                return ExitCodes.Done;
            }
            using var stopReporting = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            var reporter = new PipelineReporter(metrics, pipelines.Stats, writer.Counters, sink, settings.Metrics.ReportInterval, TimeProvider.System,
                loggers.CreateLogger<PipelineReporter>());
            var reporting = reporter.RunAsync(stopReporting.Token);
            bool complete;
            try
            {
                complete = await pipelines.RunAsync(new PipelineRun(bounded, parse.GetValue(endTime), false, settings.ShutdownTimeout), cancellation);
            }
            catch (StageFailedException)
            {
                // The failure is the run's last line (GlobalOptions.Guard); the actor system still stops in order.
                await host.StopAsync(CancellationToken.None);
                throw;
            }
            finally
            {
                await stopReporting.CancelAsync();
                await reporting;
            }
            using (var lastReport = new CancellationTokenSource(settings.ShutdownTimeout)) await reporter.ReportLastAsync(lastReport.Token);
            await host.StopAsync(CancellationToken.None);
            return complete ? ExitCodes.Done : ExitCodes.Failed;
        }));
        return command;
    }
}
