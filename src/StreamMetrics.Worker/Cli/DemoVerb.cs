using System.CommandLine;
using System.Diagnostics;
using Akka.Actor;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using StreamMetrics.Core.Redaction;
using StreamMetrics.Core.Simulation;
using StreamMetrics.Influx.Writing;
using StreamMetrics.Kafka.DevCluster;
using StreamMetrics.Kafka.Producers;
using StreamMetrics.Kafka;
using StreamMetrics.Worker.Hosting;
using StreamMetrics.Worker.Observability;
using StreamMetrics.Worker.Pipeline;
using StreamMetrics.Worker.Publishing;

namespace StreamMetrics.Worker.Cli;

/// <summary><c>demo</c>: a local Kafka cluster, the simulator and the worker in one process, with a live view.</summary>
public static class DemoVerb
{
    public static Command Create()
    {
        var duration = GlobalOptions.DurationOption("--duration", "How long to run before stopping cleanly", TimeSpan.FromSeconds(30));
        var output = new Option<FileInfo>("--out")
        {
            Description = "Line-protocol file to write when Influx:Url is not set",
            DefaultValueFactory = _ => new FileInfo("demo-output.lp"),
        };
        var customers = new Option<int>("--customers") { Description = "Simulated customers", DefaultValueFactory = _ => 20_000 };
        var days = new Option<int>("--days") { Description = "Days of event time to simulate", DefaultValueFactory = _ => 365 };
        var rate = new Option<int>("--rate") { Description = "Orders per second produced", DefaultValueFactory = _ => 2_000 };
        var command = new Command("demo", "Run a local Kafka, the simulator and the worker in one process, with a live view. Needs nothing: writes to InfluxDB when Influx:Url is set, otherwise line protocol to --out") { duration, output, customers, days, rate };
        command.SetAction((parse, cancellation) => GlobalOptions.Guard(async () =>
        {
            var configuration = GlobalOptions.Configuration(parse);
            var settings = GlobalOptions.Load(configuration, needsKafka: false);
            if (IsTerminal)
            {
                // Log lines would tear the live view apart: on a terminal only warnings and errors are logged.
                configuration = new ConfigurationBuilder().AddConfiguration(configuration)
                    .AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning", ["Logging:LogLevel:StreamMetrics"] = "Warning" })
                    .Build();
            }
            if (parse.GetValue(customers) <= 0 || parse.GetValue(days) <= 0 || parse.GetValue(rate) <= 0)
                throw new SettingsException("--customers, --days and --rate must be positive");

            using var cluster = DevKafkaCluster.Start(1);
            settings.Kafka.BootstrapServers = cluster.BootstrapServers;
            settings.Kafka.GroupId = "streammetrics-demo";
            cluster.EnsureTopic(settings.Kafka.Topic);
            cluster.EnsureTopic(settings.Kafka.ProfilesTopic);
            using var host = WorkerHost.Build(configuration);
            await host.StartAsync(CancellationToken.None);
            var loggers = host.Services.GetRequiredService<ILoggerFactory>();
            var log = loggers.CreateLogger("demo");

            var toFile = string.IsNullOrWhiteSpace(settings.Influx.Url);
            var outputPath = parse.GetValue(output)!.FullName;
            var writer = toFile ? null : new InfluxWriter(settings.Influx, loggers.CreateLogger<InfluxWriter>());
            await using IPointSink sink = writer is null ? new LineProtocolFileSink(outputPath) : new InfluxPointSink(writer);
            using var producer = new RecordProducer(settings.Kafka.ClientSettings);
            var publisher = new OrderPublisher(producer, settings.Kafka.Topic);
            using var records = new RecordCollector(settings.Kafka.ClientSettings);
            using var pipelines = new WorkerPipelines(host.Services.GetRequiredService<ActorSystem>(), settings, sink, records, loggers);
            var stats = pipelines.Stats;
            // The demo is bounded: a missing database or refused credentials end it at once rather than at --duration with nothing written.
            if (!toFile) await new StartupChecks(settings, stats, log, TimeProvider.System).WaitForInfluxTargetAsync(bounded: true, cancellation);
            var metrics = new WorkerMetrics(settings, stats, writer?.Counters, TimeProvider.System);
            await using var http = await MetricsServer.ServeAsync(settings, metrics, stats, writer?.Counters, log);
            if (http is not null) Console.WriteLine($"demo: the live view is on http://{settings.Http.Listen}/ while the demo runs");

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            stop.CancelAfter(parse.GetValue(duration)!.Value);
            var simulator = new PopulationSimulator(parse.GetValue(customers), parse.GetValue(days), seed: 1);
            // The profiles go first, so that the worker has them when it starts: the demo shows demographic segments from the first evaluation.
            using (var profileProducer = new RecordProducer(settings.Kafka.ClientSettings))
            {
                new ProfilePublisher(profileProducer, settings.Kafka.ProfilesTopic).PublishAll(simulator.Profiles());
                profileProducer.Finish(TimeSpan.FromSeconds(30));
            }
            var producing = Task.Run(() => SimulateVerb.PublishPacedAsync(simulator.Orders(), publisher, parse.GetValue(rate), stop.Token));
            // Demand is summed until the partials of everything the demo read are in, however the demo ends.
            var running = pipelines.RunAsync(new PipelineRun(false, null, EmitAllOnStop: true, settings.ShutdownTimeout), stop.Token, demandStopping: cancellation);
            var clock = Stopwatch.StartNew();
            await ShowAsync(() => Figures(stats, publisher, sink, clock.Elapsed), running, log);
            await producing;

            var destination = toFile ? outputPath : UrlRedaction.Redact(settings.Influx.Url);
            Console.WriteLine($"demo: {publisher.Published} orders produced, {stats.OrdersApplied} applied, {stats.DeadLetters} dead-lettered, " +
                              $"{stats.WindowsEmitted} windows emitted, {sink.AckedPoints} points written to {destination}");
            await host.StopAsync(CancellationToken.None);
            return ExitCodes.Done;
        }));
        return command;
    }

    /// <summary>A live table on a terminal; a log line every few seconds otherwise.</summary>
    private static async Task ShowAsync(Func<IReadOnlyList<(string Name, string Value)>> figures, Task running, ILogger log)
    {
        if (IsTerminal)
        {
            await AnsiConsole.Live(Table(figures())).StartAsync(async live =>
            {
                while (await Task.WhenAny(running, Task.Delay(500)) != running) live.UpdateTarget(Table(figures()));
                live.UpdateTarget(Table(figures()));
            });
        }
        else
        {
            while (await Task.WhenAny(running, Task.Delay(5000)) != running)
                log.LogInformation("{Figures}", string.Join(", ", figures().Select(f => $"{f.Name} {f.Value}")));
        }
        await running;
    }

    private static bool IsTerminal => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    private static Table Table(IReadOnlyList<(string Name, string Value)> figures)
    {
        var table = new Table().Title("StreamMetrics demo").AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
        foreach (var (name, value) in figures) table.AddRow(name, value);
        return table;
    }

    private static IReadOnlyList<(string Name, string Value)> Figures(PipelineStats stats, OrderPublisher publisher, IPointSink sink, TimeSpan elapsed) =>
    [
        ("elapsed", $"{elapsed:mm\\:ss}"),
        ("orders/s", $"{stats.OrdersApplied / Math.Max(elapsed.TotalSeconds, 0.001):N0}"),
        ("orders produced", $"{publisher.Published:N0}"),
        ("orders applied", $"{stats.OrdersApplied:N0}"),
        ("customers", $"{stats.Customers:N0}"),
        ("windows emitted", $"{stats.WindowsEmitted:N0}"),
        ("points written", $"{sink.AckedPoints:N0}"),
        ("lag (records)", $"{Math.Max(0, publisher.Published - stats.RecordsRead):N0}"),
    ];
}
