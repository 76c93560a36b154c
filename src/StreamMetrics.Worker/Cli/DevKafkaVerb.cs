using System.CommandLine;
using StreamMetrics.Kafka.DevCluster;

namespace StreamMetrics.Worker.Cli;

/// <summary><c>dev-kafka</c>: hosts librdkafka's mock Kafka cluster for local work and tests (DESIGN §7).</summary>
public static class DevKafkaVerb
{
    public static Command Create()
    {
        var brokers = new Option<int>("--brokers") { Description = "Number of brokers", DefaultValueFactory = _ => 1 };
        var command = new Command("dev-kafka", "Host a local Kafka cluster on 127.0.0.1; prints bootstrap.servers=HOST:PORT,… first, runs until Ctrl-C or SIGTERM. Needs nothing") { brokers };
        command.SetAction(async (parse, cancellation) =>
        {
            var count = parse.GetValue(brokers);
            if (count is < 1 or > 16)
            {
                await Console.Error.WriteLineAsync($"--brokers {count} must be between 1 and 16");
                return ExitCodes.Usage;
            }
            using var cluster = DevKafkaCluster.Start(count);
            Console.WriteLine($"bootstrap.servers={cluster.BootstrapServers}");
            await Console.Out.FlushAsync(cancellation);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellation);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C or SIGTERM: the cluster goes away with this process.
            }
            return ExitCodes.Done;
        });
        return command;
    }
}
