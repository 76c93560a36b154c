using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using StreamMetrics.Core.Orders;
using StreamMetrics.Core.Replay;
using StreamMetrics.Kafka.Producers;
using StreamMetrics.Worker.Publishing;

namespace StreamMetrics.Worker.Cli;

/// <summary><c>replay</c>: produces the orders of a data file (DESIGN §2, replay formats) to Kafka.</summary>
public static class ReplayVerb
{
    public static Command Create()
    {
        var format = FormatOption();
        var file = new Option<FileInfo>("--file") { Description = "The data file, plain or .gz", Required = true };
        var from = GlobalOptions.InstantOption("--from", "Only orders at or after this instant (inclusive)");
        var to = GlobalOptions.InstantOption("--to", "Only orders before this instant (exclusive)");
        var topic = new Option<string?>("--topic") { Description = "Topic to produce to (default Kafka:Topic)" };
        var command = new Command("replay", "Produce the orders of a data file to Kafka, in event-time order") { format, file, from, to, topic };
        command.SetAction((parse, cancellation) => GlobalOptions.Guard(async () =>
        {
            var settings = GlobalOptions.Load(GlobalOptions.Configuration(parse));
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                await Console.Error.WriteLineAsync($"--file '{path.FullName}' does not exist");
                return 2;
            }
            var (start, end) = (parse.GetValue(from), parse.GetValue(to));
            var elapsed = Stopwatch.StartNew();
            List<OrderEvent> orders;
            int skipped;
            using (var reader = DataFile.Open(path.FullName))
            {
                var read = ReplayReader.Read(parse.GetValue(format), reader);
                orders = read.Orders.Where(o => (start is null || o.Timestamp >= start) && (end is null || o.Timestamp < end)).ToList();
                skipped = read.Skipped + (read.Orders.Count - orders.Count);
                foreach (var reason in read.Problems.Take(5)) await Console.Error.WriteLineAsync($"skipped: {reason}");
            }

            using var producer = new RecordProducer(settings.Kafka.BootstrapServers, settings.Kafka.Producer);
            var publisher = new OrderPublisher(producer, parse.GetValue(topic) ?? settings.Kafka.Topic);
            if (!Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
                await AnsiConsole.Progress().StartAsync(async progress =>
                {
                    var task = progress.AddTask($"replaying {path.Name}", maxValue: orders.Count);
                    await PublishAsync(orders, publisher, cancellation, done => task.Value = done);
                });
            else
                await PublishAsync(orders, publisher, cancellation, _ => { });
            producer.Flush(TimeSpan.FromMinutes(1));

            Console.WriteLine($"replayed {path.Name}: {publisher.Published} orders produced, {skipped} skipped, {producer.Failed} failed, elapsed {elapsed.Elapsed.TotalSeconds:F1} s");
            return producer.Failed == 0 ? 0 : 1;
        }));
        return command;
    }

    /// <summary>The required <c>--format</c> of a data file, shared by the verbs that read one.</summary>
    internal static Option<ReplayFormat> FormatOption() => new("--format")
    {
        Description = "online-retail, cdnow or jsonl",
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
