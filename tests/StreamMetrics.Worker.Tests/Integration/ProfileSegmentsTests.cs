using System.Text;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>Profile attributes as segment schemes, read from InfluxDB as a user asks: segment sizes of the last closed period.</summary>
[Collection(nameof(ServersCollection))]
public sealed class ProfileSegmentsTests(ServersFixture servers)
{
    private const string Topic = "profiled";
    private const string BadProfile = """{"customerId":"c5","attributes":{"age_band":34}}""";
    private static readonly string[] Customers = ["c1", "c2", "c3", "c4", "c5", "c6"];

    [Fact]
    public async Task Each_attribute_is_a_scheme_that_follows_the_newest_profile_across_restarts_and_bad_profiles_are_dead_lettered()
    {
        await servers.Influx.CreateDatabaseAsync(Topic);
        await ProduceProfilesAsync(
            ("c1", Profile("c1", ("age_band", "25-34"), ("gender", "f"), ("income_band", "high"))),
            ("c2", Profile("c2", ("age_band", "25-34"), ("gender", "f"))),
            ("c3", Profile("c3", ("age_band", "35-44"), ("gender", "m"))),
            ("c4", Profile("c4", ("gender", "x"))),
            ("c5", BadProfile),
            ("c9", Profile("c9", ("age_band", "65+")))); // a profile whose customer has not ordered yet
        await ProduceOrdersAsync("2011-01-03", "2011-01-05");

        await RunWorkerAsync();

        Assert.Equal(new Dictionary<string, long> { ["25-34"] = 2, ["35-44"] = 1, ["unknown"] = 3 }, await SegmentSizesAsync("age_band"));
        Assert.Equal(new Dictionary<string, long> { ["f"] = 2, ["m"] = 1, ["x"] = 1, ["unknown"] = 2 }, await SegmentSizesAsync("gender"));
        Assert.Equal(new Dictionary<string, long> { ["high"] = 1, ["unknown"] = 5 }, await SegmentSizesAsync("income_band"));
        var letter = Assert.Single(KafkaRecords.ConsumeAll(servers.Kafka.BootstrapServers, $"{Topic}.dlq", 1));
        Assert.Equal(("c5", BadProfile, $"{Topic}.profiles"), (letter.Key, letter.Value, KafkaRecords.Header(letter.Headers, "source-topic")));
        Assert.Equal("attribute 'age_band' is number, not a string", KafkaRecords.Header(letter.Headers, "error"));

        // c3 moves to another band and c6 gets its first profile after its orders; a new worker restores the customers and reads both.
        await ProduceProfilesAsync(("c3", Profile("c3", ("age_band", "45-54"), ("gender", "m"))), ("c6", Profile("c6", ("age_band", "18-24"))),
            ("c4", null)); // c4's profile is deleted
        await ProduceOrdersAsync("2011-01-08", "2011-01-10");

        await RunWorkerAsync();

        Assert.Equal(new Dictionary<string, long> { ["18-24"] = 1, ["25-34"] = 2, ["45-54"] = 1, ["unknown"] = 2 }, await SegmentSizesAsync("age_band"));
        Assert.Equal(new Dictionary<string, long> { ["f"] = 2, ["m"] = 1, ["unknown"] = 3 }, await SegmentSizesAsync("gender"));
    }

    private static string Profile(string customerId, params (string Name, string Value)[] attributes) =>
        System.Text.Json.JsonSerializer.Serialize(new { customerId, attributes = attributes.ToDictionary(a => a.Name, a => a.Value) });

    private Task ProduceProfilesAsync(params (string CustomerId, string? Value)[] profiles) =>
        KafkaRecords.ProduceToPartitionZeroAsync(servers.Kafka.BootstrapServers, $"{Topic}.profiles",
            profiles.Select(p => (Encoding.UTF8.GetBytes(p.CustomerId), p.Value is null ? null! : Encoding.UTF8.GetBytes(p.Value))));

    private Task ProduceOrdersAsync(params string[] days) =>
        KafkaRecords.ProduceToPartitionZeroAsync(servers.Kafka.BootstrapServers, Topic,
            from day in days
            from customer in Customers
            select (Encoding.UTF8.GetBytes(customer),
                Encoding.UTF8.GetBytes($$"""{"orderId":"{{customer}}-{{day}}","customerId":"{{customer}}","timestamp":"{{day}}T10:00:00Z","amount":20}""")));

    private async Task RunWorkerAsync()
    {
        var run = await WorkerProcess.RunAsync(["run", "--until-caught-up", .. servers.WorkerSettings(Topic, Topic, Topic)], TimeSpan.FromMinutes(3));
        Assert.True(run.ExitCode == 0, run.Stderr);
    }

    /// <summary>The README's question, how many customers each age band had in the last closed period, asked of a scheme.</summary>
    private async Task<Dictionary<string, long>> SegmentSizesAsync(string scheme)
    {
        var last = (await InfluxAnswer.RowsAsync(servers.Influx, Topic, $"SELECT last(customers) FROM segment_metrics WHERE scheme = '{scheme}'")).Single().Time;
        var statement = Assert.Single(ReadmeQueries.Read()["customers-per-age-band"])
            .Replace("'age_band'", $"'{scheme}'").Replace("2011-12-09T00:00:00Z", $"{last.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}");
        var answer = await InfluxAnswer.QueryAsync(servers.Influx, Topic, statement);
        return answer.ToDictionary(s => s.Tags["segment"], s => s.Rows.Single().Integer("customers"));
    }
}
