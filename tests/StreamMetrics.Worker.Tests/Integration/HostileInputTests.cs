using System.Text;
using System.Text.Json;

namespace StreamMetrics.Worker.Tests.Integration;

[Collection(nameof(ServersCollection))]
public sealed class HostileInputTests(ServersFixture servers)
{
    private const string Topic = "hostile-extremes";

    private static string Order(string customerId, string timestamp = "2011-01-10T08:00:00Z", string amount = "2.5", string extra = "") =>
        $$"""{"orderId":"o-{{customerId.Length}}-{{Math.Abs(customerId.GetHashCode())}}","customerId":{{JsonSerializer.Serialize(customerId)}},"timestamp":"{{timestamp}}","amount":{{amount}}{{extra}}}""";

    [Fact]
    public async Task Hostile_input_is_dead_lettered_with_a_reason_or_applied_exactly_and_never_stops_the_worker()
    {
        var invalidUtf8 = Encoding.UTF8.GetBytes(Order("u8", extra: ",\"region\":\"XX\""));
        var at = Array.IndexOf(invalidUtf8, (byte)'X');
        (invalidUtf8[at], invalidUtf8[at + 1]) = (0xC3, 0x28);
        var future = DateTimeOffset.UtcNow.AddDays(3).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        var deadLettered = new (string Key, byte[] Value, string ReasonMentions)[]
        {
            ("big", Encoding.UTF8.GetBytes(Order("big", extra: $",\"pad\":\"{new string('p', 1_572_864)}\"")), "limit"),
            ("deep", Encoding.UTF8.GetBytes(Order("deep", extra: $",\"x\":{new string('[', 10_000)}{new string(']', 10_000)}")), "JSON"),
            ("u8", invalidUtf8, "JSON"),
            ("dup", Encoding.UTF8.GetBytes(Order("dup", extra: ",\"amount\":2")), "duplicate"),
            ("huge", Encoding.UTF8.GetBytes(Order("huge", amount: new string('9', 400))), "amount"),
            ("year1", Encoding.UTF8.GetBytes(Order("year1", timestamp: "0001-01-01T00:00:00Z")), "range"),
            ("year9999", Encoding.UTF8.GetBytes(Order("year9999", timestamp: "9999-12-31T00:00:00Z")), "range"),
            ("future", Encoding.UTF8.GetBytes(Order("future", timestamp: future)), "clock"),
            ("line\nbreak", Encoding.UTF8.GetBytes(Order("line\nbreak")), "control character"),
            ("ends\\", Encoding.UTF8.GetBytes(Order("ends\\")), "backslash"),
            (new string('L', 2000), Encoding.UTF8.GetBytes(Order(new string('L', 2000))), "longer than 128"),
            // Refused by its customer, not by the parser: older than the retention horizon of the order it follows.
            ("late", Encoding.UTF8.GetBytes(Order("late", timestamp: "2010-06-01T08:00:00Z").Replace("\"o-", "\"late-")), "retention"),
        };
        string[] applied = ["a b", "a,b", "a=b", "say \"hi\"", "back\\slash", "émoji 😀", "late"];
        var records = applied.Select(id => (Encoding.UTF8.GetBytes(id), Encoding.UTF8.GetBytes(Order(id))))
            .Append((Encoding.UTF8.GetBytes("denormal"), Encoding.UTF8.GetBytes(Order("denormal", amount: "5e-324"))))
            .Concat(deadLettered.Select(d => (Encoding.UTF8.GetBytes(d.Key), d.Value)));
        await servers.Influx.CreateDatabaseAsync("extremes");
        await KafkaRecords.ProduceToPartitionZeroAsync(servers.Kafka.BootstrapServers, Topic, records);

        var run = await WorkerProcess.RunAsync(["run", "--until-caught-up", .. servers.WorkerSettings(Topic, "extremes", "extremes")], TimeSpan.FromMinutes(3));
        Assert.True(run.ExitCode == 0, run.Stderr);

        var letters = KafkaRecords.ConsumeAll(servers.Kafka.BootstrapServers, $"{Topic}.dlq", deadLettered.Length);
        Assert.Equal(deadLettered.Length, letters.Count);
        foreach (var (key, value, mentions) in deadLettered)
        {
            var letter = letters.Single(l => l.Key == key);
            Assert.Contains(mentions, KafkaRecords.Header(letter.Headers, "error"), StringComparison.OrdinalIgnoreCase);
            Assert.Equal(Encoding.UTF8.GetString(value), letter.Value);
        }
        var sums = await ActivitySums.PerCustomerAsync(servers.Influx, "extremes");
        Assert.Equal(applied.Append("denormal").Order(StringComparer.Ordinal), sums.Keys.Order(StringComparer.Ordinal));
        Assert.All(applied, id => Assert.Equal((1L, 2.5), (sums[id].Orders, sums[id].Revenue)));
        Assert.Equal((1L, 0.0), (sums["denormal"].Orders, sums["denormal"].Revenue));
    }
}
