using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using StreamMetrics.Core.Orders;
using StreamMetrics.Core.Replay;
using StreamMetrics.Kafka;
using StreamMetrics.Kafka.Producers;
using StreamMetrics.Worker.Publishing;

namespace StreamMetrics.Worker.Cli;

/// <summary><c>replay</c>: produces the orders of a data file (DESIGN §2, replay formats) to Kafka.</summary>
public static class ReplayVerb
{
    // How long records may take to be delivered once all are produced; whatever is still queued then counts as failed.
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromMinutes(1);

    public static Command Create()
    {
        var format = FormatOption();
        var file = new Option<FileInfo>("--file") { Description = "The data file, plain or .gz", Required = true };
        var from = GlobalOptions.InstantOption("--from", "Only orders at or after this instant (inclusive)");
        var to = GlobalOptions.InstantOption("--to", "Only orders before this instant (exclusive)");
        var topic = new Option<string?>("--topic") { Description = "Topic to produce to (default Kafka:Topic)" };
        var command = new Command("replay", "Produce the orders of a data file to Kafka, in event-time order. Needs Kafka:BootstrapServers; exits 1 when any record is not delivered") { format, file, from, to, topic };
        command.SetAction((parse, cancellation) => GlobalOptions.Guard(async () =>
        {
            var configuration = GlobalOptions.Configuration(parse);
            var settings = GlobalOptions.Load(configuration);
            using var loggers = GlobalOptions.KafkaLogging(configuration);
            var path = parse.GetValue(file)!;
            var (start, end) = (parse.GetValue(from), parse.GetValue(to));
            var elapsed = Stopwatch.StartNew();
            var read = DataFile.Read(path, parse.GetValue(format));
            var orders = read.Orders.Where(o => (start is null || o.Timestamp >= start) && (end is null || o.Timestamp < end)).ToList();
            var skipped = read.Skipped + (read.Orders.Count - orders.Count);
            foreach (var reason in read.Problems.Take(5)) await Console.Error.WriteLineAsync($"skipped: {reason}");

            GlobalOptions.EnsureKafkaAnswers(settings);
            using var producer = new RecordProducer(settings.Kafka.ClientSettings);
            var publisher = new OrderPublisher(producer, parse.GetValue(topic) ?? settings.Kafka.Topic);
            if (!Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
                await AnsiConsole.Progress().StartAsync(async progress =>
                {
                    var task = progress.AddTask($"replaying {path.Name}", maxValue: orders.Count);
                    await PublishAsync(orders, publisher, cancellation, done => task.Value = done);
                });
            else
                await PublishAsync(orders, publisher, cancellation, _ => { });
            producer.Finish(DeliveryTimeout);

            Console.WriteLine($"replayed {path.Name}: {publisher.Published} orders produced, {producer.Delivered} delivered, {producer.Failed} failed, {skipped} skipped, " +
                              $"elapsed {elapsed.Elapsed.TotalSeconds:F1} s");
            if (producer.Failed == 0) return ExitCodes.Done;
            await Console.Error.WriteLineAsync($"{producer.Failed} orders were not delivered to Kafka at {settings.Kafka.ClientSettings.ShownServers}: {producer.FirstError}");
            return ExitCodes.Failed;
        }));
        return command;
    }

    /// <summary>The required <c>--format</c> of a data file, shared by the verbs that read one.</summary>
    internal static Option<ReplayFormat> FormatOption() => new("--format")
    {
        Description = "The file's format: online-retail (the UCI Online Retail CSV), cdnow (CDNOW_sample.txt or CDNOW_master.txt) or jsonl (one order event per line)",
        HelpName = "online-retail|cdnow|jsonl",
        Required = true,
        CustomParser = result => ParseFormat(result.Tokens.Count > 0 ? result.Tokens[0].Value : "", result),
    };

    private static Task PublishAsync(IReadOnlyList<OrderEvent> orders, OrderPublisher publisher, CancellationToken cancellation, Action<int> progress)
    {
        for (var i = 0; i < orders.Count && !cancellation.IsCancellationRequested; i++)
        {
            publisher.Publish(orders[i]);
            if (i % 1000 == 999 || i == orders.Count - 1) progress(i + 1);
        }
        return Task.CompletedTask;
    }

    private static ReplayFormat ParseFormat(string text, System.CommandLine.Parsing.ArgumentResult result)
    {
        switch (text)
        {
            case "online-retail": return ReplayFormat.OnlineRetail;
            case "cdnow": return ReplayFormat.Cdnow;
            case "jsonl": return ReplayFormat.Jsonl;
            default:
                result.AddError($"--format '{text}' must be online-retail, cdnow or jsonl");
                return default;
        }
    }
}
