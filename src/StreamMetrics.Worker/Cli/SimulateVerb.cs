using System.CommandLine;
using System.Diagnostics;
using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Simulation;
using StreamMetrics.Kafka;
using StreamMetrics.Kafka.Producers;
using StreamMetrics.Worker.Publishing;

namespace StreamMetrics.Worker.Cli;

/// <summary><c>simulate</c>: produces the orders of a seeded synthetic population whose true behaviour is known.</summary>
public static class SimulateVerb
{
    public static Command Create()
    {
        var customers = new Option<int>("--customers") { Description = "Population size", DefaultValueFactory = _ => 10_000 };
        var days = new Option<int>("--days") { Description = "Days of event time to simulate", DefaultValueFactory = _ => 365 };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same orders", DefaultValueFactory = _ => 1 };
        var rate = new Option<int?>("--rate") { Description = "Orders per second of wall-clock time (default: as fast as Kafka takes them)" };
        var topic = new Option<string?>("--topic") { Description = "Topic to produce to (default Kafka:Topic)" };
        var behaviour = new Option<BgNbdParameters?>("--behaviour")
        {
            Description = "The population's true BG/NBD parameters r,alpha,a,b (alpha in days), e.g. 3,30,0.8,2.4 for regular buyers",
            CustomParser = result =>
            {
                var parts = (result.Tokens.Count > 0 ? result.Tokens[0].Value : "").Split(',');
                if (parts.Length == 4 && parts.All(p => double.TryParse(p, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && v > 0))
                {
                    var v = parts.Select(p => double.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                    return new BgNbdParameters(v[0], v[1], v[2], v[3]);
                }
                result.AddError("--behaviour must be four positive numbers r,alpha,a,b, e.g. 3,30,0.8,2.4");
                return null;
            },
        };
        var truth = new Option<FileInfo?>("--truth") { Description = "Write each customer's true state (alive, or dropped out and when) to this CSV file" };
        var profiles = new Option<bool>("--profiles")
        {
            Description = "Also produce a profile (age_band, gender, income_band) for nine customers in ten to Kafka:ProfilesTopic, before the orders",
        };
        var command = new Command("simulate", "Produce synthetic orders of a seeded population to Kafka. Needs Kafka:BootstrapServers; exits 1 when any record is not delivered")
        {
            customers, days, seed, rate, topic, behaviour, truth, profiles,
        };
        command.SetAction((parse, cancellation) => GlobalOptions.Guard(async () =>
        {
            var configuration = GlobalOptions.Configuration(parse);
            var settings = GlobalOptions.Load(configuration);
            using var loggers = GlobalOptions.KafkaLogging(configuration);
            if (parse.GetValue(customers) <= 0 || parse.GetValue(days) <= 0 || parse.GetValue(rate) is <= 0)
            {
                await Console.Error.WriteLineAsync("--customers, --days and --rate must be positive");
                return ExitCodes.Usage;
            }
            GlobalOptions.EnsureKafkaAnswers(settings);
            var simulator = new PopulationSimulator(parse.GetValue(customers), parse.GetValue(days), parse.GetValue(seed), behaviour: parse.GetValue(behaviour));
            using var producer = new RecordProducer(settings.Kafka.ClientSettings);
            var publisher = new OrderPublisher(producer, parse.GetValue(topic) ?? settings.Kafka.Topic);
            var elapsed = Stopwatch.StartNew();
            var profilePublisher = new ProfilePublisher(producer, settings.Kafka.ProfilesTopic);
            if (parse.GetValue(profiles)) profilePublisher.PublishAll(simulator.Profiles());
            var (orders, truths) = simulator.Simulate();
            if (parse.GetValue(truth) is { } truthFile) await WriteTruthAsync(truthFile.FullName, truths);
            await PublishPacedAsync(orders, publisher, parse.GetValue(rate), cancellation);
            producer.Finish(TimeSpan.FromMinutes(1));
            Console.WriteLine($"simulated {parse.GetValue(customers)} customers over {parse.GetValue(days)} days: {publisher.Published} orders and {profilePublisher.Published} profiles produced, {producer.Delivered} delivered, {producer.Failed} failed, in {elapsed.Elapsed.TotalSeconds:F1} s");
            if (producer.Failed == 0) return ExitCodes.Done;
            await Console.Error.WriteLineAsync($"{producer.Failed} records were not delivered to Kafka at {settings.Kafka.ClientSettings.ShownServers}: {producer.FirstError}");
            return ExitCodes.Failed;
        }));
        return command;
    }

    private static async Task WriteTruthAsync(string path, IEnumerable<CustomerTruth> truths)
    {
        await using var file = new StreamWriter(path);
        await file.WriteLineAsync("customerId,alive,droppedOutAt,purchasesPerDay,dropoutAfterPurchase");
        foreach (var t in truths)
            await file.WriteLineAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{t.CustomerId},{(t.DroppedOutAt is null ? "true" : "false")},{t.DroppedOutAt:yyyy-MM-dd'T'HH:mm:ss'Z'},{t.PurchasesPerDay:R},{t.DropoutAfterPurchase:R}"));
    }

    /// <summary>Publishes orders, no faster than <paramref name="perSecond"/> when given, until done or cancelled.</summary>
    public static async Task PublishPacedAsync(IEnumerable<Core.Orders.OrderEvent> orders, OrderPublisher publisher, int? perSecond, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        foreach (var order in orders)
        {
            if (cancellation.IsCancellationRequested) return;
            publisher.Publish(order);
            if (perSecond is { } rate && publisher.Published % Math.Max(1, rate / 20) == 0)
            {
                var ahead = TimeSpan.FromSeconds((double)publisher.Published / rate) - clock.Elapsed;
                if (ahead > TimeSpan.Zero)
                {
                    try { await Task.Delay(ahead, cancellation); }
                    catch (OperationCanceledException) { return; }
                }
            }
        }
    }
}
