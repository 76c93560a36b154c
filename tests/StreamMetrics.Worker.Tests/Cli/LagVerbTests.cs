using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using StreamMetrics.Core.Scaling;
using StreamMetrics.Kafka.DevCluster;
using StreamMetrics.Worker.Tests.Integration;

namespace StreamMetrics.Worker.Tests.Cli;

/// <summary>The <c>lag</c> verb against a real Kafka wire protocol, checked with kcat (Debian's <c>kcat</c>).</summary>
public sealed class LagVerbTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly DevKafkaCluster _cluster = DevKafkaCluster.Start();

    public void Dispose() => _cluster.Dispose();

    [Fact]
    public async Task Lag_json_agrees_with_the_end_and_committed_offsets_kcat_reads()
    {
        const string topic = "lag-offsets", group = "lag-half";
        _cluster.EnsureTopic(topic);
        Produce(topic, 2_000);
        // kcat consumes 700 records in the group and commits them as it leaves: some partitions are partly read, some not at all.
        await KcatAsync("-G", group, "-X", "auto.offset.reset=earliest", "-X", "session.timeout.ms=6000", "-c", "700", "-f", "%p %o\\n", topic);

        var lag = await LagJsonAsync("--group", group, "--topic", topic, "--sample", "0");

        var ends = new Dictionary<int, long>();
        for (var partition = 0; partition < 4; partition++)
        {
            var answer = await KcatAsync("-Q", "-t", $"{topic}:{partition}:-1");
            ends[partition] = long.Parse(Regex.Match(answer, @"offset (\d+)").Groups[1].Value);
        }
        // Without committing, kcat resumes the group where it stands: its first offset per partition is the committed one (0 where none is).
        var resumed = (await KcatAsync("-G", group, "-X", "enable.auto.commit=false", "-X", "auto.offset.reset=earliest", "-X", "session.timeout.ms=6000",
                "-e", "-f", "%p %o\\n", topic))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')).Where(parts => parts.Length == 2 && parts[0].All(char.IsDigit))
            .GroupBy(parts => int.Parse(parts[0])).ToDictionary(g => g.Key, g => long.Parse(g.First()[1]));

        var partitions = lag.GetProperty("partitions").EnumerateArray().ToList();
        Assert.Equal(4, partitions.Count);
        Assert.Equal(group, lag.GetProperty("group").GetString());
        Assert.Equal(topic, lag.GetProperty("topic").GetString());
        foreach (var partition in partitions)
        {
            var number = partition.GetProperty("partition").GetInt32();
            var committed = partition.GetProperty("committed").ValueKind == JsonValueKind.Null ? 0 : partition.GetProperty("committed").GetInt64();
            Assert.Equal(ends[number], partition.GetProperty("end").GetInt64());
            Assert.Equal(resumed.GetValueOrDefault(number, ends[number]), committed);
            Assert.Equal(ends[number] - committed, partition.GetProperty("lag").GetInt64());
            if (ends[number] > committed) Assert.True(partition.GetProperty("lag_seconds").GetDouble() > 0, "a partition with lag has records waiting since they were produced");
            else Assert.Equal(0, partition.GetProperty("lag_seconds").GetDouble());
        }
        Assert.Equal(700, partitions.Sum(p => p.GetProperty("committed").ValueKind == JsonValueKind.Null ? 0 : p.GetProperty("committed").GetInt64()));
    }

    [Fact]
    public async Task With_a_backlog_and_records_arriving_the_advice_is_the_formula_applied_to_the_measured_rates()
    {
        const string topic = "lag-backlog", group = "lag-nobody";
        _cluster.EnsureTopic(topic);
        Produce(topic, 3_000);

        using var arriving = new CancellationTokenSource();
        var producing = Task.Run(async () =>
        {
            while (!arriving.IsCancellationRequested)
            {
                Produce(topic, 20);
                await Task.Delay(100);
            }
        });
        var lag = await LagJsonAsync("--group", group, "--topic", topic, "--sample", "00:00:02", "--worker-rate", "40",
            "--set", "Scaling:CatchUpTarget=00:05:00", "--set", "Scaling:LagThreshold=1000000");
        await arriving.CancelAsync();
        await producing;

        var input = lag.GetProperty("input_per_s").GetDouble();
        var totalLag = lag.GetProperty("partitions").EnumerateArray().Sum(p => p.GetProperty("lag").GetInt64());
        Assert.True(input > 0, "records arrived during the sample");
        Assert.Equal(40, lag.GetProperty("per_worker_per_s").GetDouble());
        var expected = ScalingAdvice.Recommend(new GroupLoad(4, totalLag, input, 40), TimeSpan.FromMinutes(5), 1_000_000);
        Assert.Equal(expected.Replicas, lag.GetProperty("recommended_replicas").GetInt32());
        Assert.Equal(expected.Reason, lag.GetProperty("reason").GetString());
        Assert.InRange(expected.Replicas, 2, 4);
    }

    private void Produce(string topic, int records)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = _cluster.BootstrapServers }).Build();
        for (var i = 0; i < records; i++)
            producer.Produce(topic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes($"C{Random.Shared.Next(100_000)}"), Value = "{}"u8.ToArray() });
        producer.Flush(Timeout);
    }

    private async Task<JsonElement> LagJsonAsync(params string[] args)
    {
        var run = await WorkerProcess.RunAsync(["lag", "--json", "--set", $"Kafka:BootstrapServers={_cluster.BootstrapServers}", .. args], Timeout);
        Assert.True(run.ExitCode == 0, run.Stderr);
        return JsonDocument.Parse(run.Stdout).RootElement.Clone();
    }

    private async Task<string> KcatAsync(params string[] args)
    {
        var start = new ProcessStartInfo("kcat") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["-b", _cluster.BootstrapServers, .. args]) start.ArgumentList.Add(arg);
        using var kcat = Process.Start(start)!;
        var output = kcat.StandardOutput.ReadToEndAsync();
        var errors = kcat.StandardError.ReadToEndAsync();
        await kcat.WaitForExitAsync().WaitAsync(Timeout);
        Assert.True(kcat.ExitCode == 0, $"kcat {string.Join(' ', args)} failed: {await errors}");
        return await output;
    }
}
