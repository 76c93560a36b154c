using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using StreamMetrics.Core.Scaling;
using StreamMetrics.Kafka;
using StreamMetrics.Kafka.Lag;
using StreamMetrics.Worker.Hosting;

namespace StreamMetrics.Worker.Cli;

/// <summary>
/// <c>lag</c>: a group's lag per partition, in records and in seconds, its owners, and how many workers
/// it needs (<see cref="ScalingAdvice"/>). Reads the cluster only, so it works while no worker runs.
/// </summary>
/// <remarks>
/// Rates come from two readings <c>--sample</c> apart: records arriving from the end offsets, records
/// consumed from the committed offsets. A worker's throughput is what the group consumed per member
/// while it had a backlog both times; a caught-up group shows only the input rate, not what it could do,
/// so then <c>--worker-rate</c> (for example from the end-to-end benchmark, bench/StreamMetrics.Bench) or KEDA's rule decides.
/// </remarks>
public static class LagVerb
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(15);

    public static Command Create()
    {
        var group = new Option<string?>("--group") { Description = "Consumer group (default Kafka:GroupId)" };
        var topic = new Option<string?>("--topic") { Description = "Topic (default Kafka:Topic)" };
        var sample = GlobalOptions.DurationOption("--sample", "Time between the two readings the rates come from; 0 reads once and measures no rate", TimeSpan.FromSeconds(5));
        var workerRate = new Option<double?>("--worker-rate") { Description = "Records one worker applies per second, when known; else measured from the group's backlog" };
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts instead of a table" };
        var command = new Command("lag", "Per-partition lag of a group in records and seconds, the owners, and the recommended number of workers. Needs Kafka:BootstrapServers; only reads")
        {
            group, topic, sample, workerRate, json,
        };
        command.SetAction((parse, cancellation) => GlobalOptions.Guard(async () =>
        {
            var configuration = GlobalOptions.Configuration(parse);
            var settings = GlobalOptions.Load(configuration);
            using var loggers = GlobalOptions.KafkaLogging(configuration);
            var (groupId, topicName) = (parse.GetValue(group) ?? settings.Kafka.GroupId, parse.GetValue(topic) ?? settings.Kafka.Topic);
            var interval = parse.GetValue(sample) ?? TimeSpan.Zero;
            if (parse.GetValue(workerRate) is <= 0) throw new SettingsException("--worker-rate must be > 0");
            // Reading a missing topic's offsets would create it on a broker that auto-creates topics.
            if (!GlobalOptions.EnsureKafkaAnswers(settings).Contains(topicName))
                throw new SettingsException($"topic '{topicName}' does not exist on {settings.Kafka.ClientSettings.ShownServers}; check --topic or Kafka:Topic");

            var first = await GroupLagReader.ReadAsync(settings.Kafka.ClientSettings, topicName, groupId, TimeProvider.System, ReadTimeout);
            var last = first;
            if (interval > TimeSpan.Zero)
            {
                await Task.Delay(interval, cancellation);
                last = await GroupLagReader.ReadAsync(settings.Kafka.ClientSettings, topicName, groupId, TimeProvider.System, ReadTimeout);
            }
            var rates = Rates.Between(first, last, parse.GetValue(workerRate));
            var advice = ScalingAdvice.Recommend(new GroupLoad(last.Partitions.Count, last.TotalLag, rates.InputPerSecond, rates.PerWorkerPerSecond),
                settings.Scaling.CatchUpTarget, settings.Scaling.LagThreshold);

            if (parse.GetValue(json)) Console.WriteLine(ToJson(last, rates, advice, settings.Scaling));
            else Print(last, rates, advice);
            return ExitCodes.Done;
        }));
        return command;
    }

    private static void Print(GroupLag lag, Rates rates, ScalingRecommendation advice)
    {
        var table = new Table().AddColumns("partition", "committed", "end", "lag", "lag (s)", "owner");
        foreach (var partition in lag.Partitions)
            table.AddRow($"{partition.Partition}", partition.Committed is { } committed ? $"{committed:N0}" : "none", $"{partition.End:N0}", $"{partition.Lag:N0}",
                $"{partition.LagSeconds:F1}", Markup.Escape(partition.Owner ?? (lag.Members is null ? "unknown" : "unassigned")));
        table.AddRow("total", "", $"{lag.TotalEnd:N0}", $"{lag.TotalLag:N0}", $"{lag.Partitions.Select(p => p.LagSeconds).DefaultIfEmpty().Max():F1}",
            lag.Members is { } members ? $"{members} members" : "");
        AnsiConsole.Write(table);
        if (lag.OwnersUnknown is { } why) Console.WriteLine($"owners unknown: the cluster cannot describe groups ({why})");
        Console.WriteLine($"group {lag.Group} on {lag.Topic}: {rates.InputPerSecond:F0} records/s arriving, {rates.ConsumedPerSecond:F0}/s consumed" +
            (rates.PerWorkerPerSecond is { } perWorker ? $", {perWorker:F0}/s a worker" : ""));
        Console.WriteLine($"recommended workers: {advice.Replicas} ({advice.Reason})");
    }

    private static string ToJson(GroupLag lag, Rates rates, ScalingRecommendation advice, Options.ScalingOptions scaling) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["group"] = lag.Group,
            ["topic"] = lag.Topic,
            ["partitions"] = lag.Partitions.Select(p => new Dictionary<string, object?>
            {
                ["partition"] = p.Partition,
                ["committed"] = p.Committed,
                ["end"] = p.End,
                ["lag"] = p.Lag,
                ["lag_seconds"] = p.LagSeconds,
                ["owner"] = p.Owner,
            }),
            ["recommended_replicas"] = advice.Replicas,
            ["reason"] = advice.Reason,
            ["members"] = lag.Members,
            ["owners_unknown"] = lag.OwnersUnknown,
            ["input_per_s"] = rates.InputPerSecond,
            ["consumed_per_s"] = rates.ConsumedPerSecond,
            ["per_worker_per_s"] = rates.PerWorkerPerSecond,
            ["catch_up_target_s"] = scaling.CatchUpTarget.TotalSeconds,
            ["lag_threshold"] = scaling.LagThreshold,
        }, new JsonSerializerOptions { WriteIndented = true });

    /// <summary>Records per second between two readings; zero when there was one reading.</summary>
    private sealed record Rates(double InputPerSecond, double ConsumedPerSecond, double? PerWorkerPerSecond)
    {
        public static Rates Between(GroupLag first, GroupLag last, double? givenPerWorker)
        {
            var seconds = (last.At - first.At).TotalSeconds;
            if (seconds <= 0) return new Rates(0, 0, givenPerWorker);
            var input = (last.TotalEnd - first.TotalEnd) / seconds;
            var consumed = (last.TotalPosition - first.TotalPosition) / seconds;
            var busy = first.TotalLag > 0 && last.TotalLag > 0 && last.Members is > 0 && consumed > 0;
            return new Rates(input, consumed, givenPerWorker ?? (busy ? consumed / last.Members!.Value : null));
        }
    }
}
