using System.Text;

namespace StreamMetrics.Worker.Tests.Integration;

[Collection(nameof(ServersCollection))]
public sealed class DeadLetterTests(ServersFixture servers)
{
    private const string Topic = "hostile";
    private const string Valid = """{"orderId":"o1","customerId":"good","timestamp":"2011-01-10T08:00:00Z","amount":10.5,"currency":"GBP"}""";

    /// <summary>Every kind of bad input of DESIGN §2, keyed by what the dead letter's reason must mention.</summary>
    public static readonly (string Key, string Value, string ReasonMentions)[] BadRecords =
    [
        ("c1", "this is not json", "JSON"),
        ("c1", "[1,2,3]", "object"),
        ("c1", """{"customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1}""", "orderId"),
        ("c1", """{"orderId":"x","customerId":42,"timestamp":"2011-01-10T08:00:00Z","amount":1}""", "customerId"),
        ("c1", """{"orderId":"","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1}""", "orderId"),
        ("c1", $$"""{"orderId":"{{new string('x', 129)}}","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1}""", "orderId"),
        ("c1", """{"orderId":"x","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":-1}""", "amount"),
        ("c1", """{"orderId":"x","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1000000000.01}""", "amount"),
        ("c1", """{"orderId":"x","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":"NaN"}""", "amount"),
        ("c1", """{"orderId":"x","customerId":"c1","timestamp":"2011-01-10T08:00:00","amount":1}""", "timestamp"),
        ("c1", """{"orderId":"x","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1,"kind":"gift"}""", "kind"),
        ("c1", """{"orderId":"x","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1,"currency":"USD"}""", "currency"),
        ("c1", """{"orderId":"x","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1,"items":[{"sku":"a","quantity":0,"unitPrice":1}]}""", "quantity"),
        ("c1", """{"orderId":"x","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1,"items":[{"sku":"a","quantity":1,"unitPrice":-1}]}""", "unitPrice"),
        ("c1", """{"orderId":"x","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1,"items":[{"quantity":1,"unitPrice":1}]}""", "sku"),
        ("c1", $$"""{"orderId":"x","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1,"pad":"{{new string('p', 1_200_000)}}"}""", "limit"),
        ("someone-else", """{"orderId":"x","customerId":"c1","timestamp":"2011-01-10T08:00:00Z","amount":1}""", "key"),
    ];

    [Fact]
    public async Task Every_kind_of_bad_input_is_dead_lettered_with_its_bytes_and_headers_and_a_repeated_order_is_applied_once()
    {
        await servers.Influx.CreateDatabaseAsync("hostile");
        var records = new List<(string Key, string Value)> { ("good", Valid) };
        records.AddRange(BadRecords.Select(r => (r.Key, r.Value)));
        records.Add(("good", Valid));
        records.Add(("good", Valid.Replace("\"o1\"", "\"o2\"").Replace("10.5", "4.5")));
        await KafkaRecords.ProduceToPartitionZeroAsync(servers.Kafka.BootstrapServers, Topic,
            records.Select(r => (Encoding.UTF8.GetBytes(r.Key), Encoding.UTF8.GetBytes(r.Value))));

        var run = await WorkerProcess.RunAsync(
            ["run", "--until-caught-up", .. servers.WorkerSettings(Topic, "hostile", "hostile"), "--set", "Metrics:Currency=GBP"],
            TimeSpan.FromMinutes(3));
        Assert.True(run.ExitCode == 0, run.Stderr);

        var letters = KafkaRecords.ConsumeAll(servers.Kafka.BootstrapServers, $"{Topic}.dlq", BadRecords.Length);
        Assert.Equal(BadRecords.Length, letters.Count);
        for (var i = 0; i < BadRecords.Length; i++)
        {
            var (key, value, mentions) = BadRecords[i];
            var letter = letters.Single(l => l.Value == value && l.Key == key);
            var error = KafkaRecords.Header(letter.Headers, "error");
            Assert.Contains(mentions, error, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(Topic, KafkaRecords.Header(letter.Headers, "source-topic"));
            Assert.Equal("0", KafkaRecords.Header(letter.Headers, "source-partition"));
            Assert.Equal((i + 1).ToString(), KafkaRecords.Header(letter.Headers, "source-offset"));
        }

        var sums = await ActivitySums.PerCustomerAsync(servers.Influx, "hostile");
        var good = Assert.Single(sums).Value;
        Assert.Equal((2L, 15.0), (good.Orders, good.Revenue));
    }
}
