using System.Text;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>
/// Points InfluxDB refuses for good are dead-lettered, not lost (issue 17): a second run over the Online Retail topic into
/// a database where someone planted a string <c>orders</c> field in one week of <c>customer_activity</c>.
/// </summary>
[Collection(nameof(ServersCollection))]
public sealed partial class RefusedPointsTests(ServersFixture servers, ITestOutputHelper output)
{
    private const string Database = "retail_conflict", GroupId = "retail-conflict";
    // A Wednesday: influxd 1.x keeps a week per shard (Monday to Monday) and checks field types per shard.
    private static readonly DateTimeOffset Planted = DateTimeOffset.Parse("2011-06-08T00:00:00Z");

    [Fact]
    public async Task A_planted_field_type_conflict_dead_letters_the_points_of_its_week_and_written_plus_dead_lettered_is_a_clean_run()
    {
        var clean = await OnlineRetailRun.EndTimeRunAsync(servers);
        Assert.True(clean.ExitCode == 0, clean.Stderr);
        // Online Retail's weeks, and the forecasts' weeks after them.
        await servers.Influx.CreateDatabaseWithWeeklyShardsAsync(Database, DateTimeOffset.Parse("2010-11-29T00:00:00Z"), DateTimeOffset.Parse("2012-03-01T00:00:00Z"));
        using (var http = new HttpClient())
        {
            var planted = await http.PostAsync($"{servers.Influx.Url}/write?db={Database}&precision=s",
                new StringContent($"customer_activity,customer_id=planted orders=\"planted\" {Planted.ToUnixTimeSeconds()}"));
            Assert.True(planted.IsSuccessStatusCode, await planted.Content.ReadAsStringAsync());
        }

        var run = await WorkerProcess.RunAsync(
            ["run", "--until-caught-up", "--end-time", "2011-12-10T00:00:00Z", .. servers.WorkerSettings(OnlineRetailRun.Topic, GroupId, Database)],
            TimeSpan.FromMinutes(5));
        Assert.True(run.ExitCode == 0, run.Stderr);
        var refused = long.Parse(RefusedCount().Match(run.Stderr).Groups[1].Value);
        output.WriteLine($"{refused} points refused by InfluxDB");
        Assert.True(refused > 0, run.Stderr);

        var letters = KafkaRecords.ConsumeAll(servers.Kafka.BootstrapServers, $"{GroupId}-points.dlq", (int)refused);
        Assert.Equal(refused, letters.Count);
        Assert.All(letters, letter =>
        {
            Assert.Contains("field type conflict", KafkaRecords.Header(letter.Headers, "error"));
            Assert.Equal(Database, KafkaRecords.Header(letter.Headers, "database"));
            Assert.Equal("customer_activity", KafkaRecords.Header(letter.Headers, "measurement"));
            Assert.StartsWith($"customer_activity,customer_id=", letter.Value);
        });
        var weekStart = Planted.AddDays(-2).ToUnixTimeMilliseconds() * 1_000_000;
        Assert.All(letters, letter => Assert.InRange(long.Parse(letter.Value.Split(' ')[^1]), weekStart, weekStart + 7 * 86_400_000_000_000 - 1));

        var expected = PerMeasurement(await WrittenOutput.PointsAsync(servers.Influx, OnlineRetailRun.Database));
        var written = PerMeasurement((await WrittenOutput.PointsAsync(servers.Influx, Database)).Where(p => !p.Contains("customer_id=planted")));
        foreach (var (measurement, count) in expected)
        {
            var deadLettered = letters.Count(l => KafkaRecords.Header(l.Headers, "measurement") == measurement);
            output.WriteLine($"{measurement}: clean {count}, written {written.GetValueOrDefault(measurement)}, dead-lettered {deadLettered}");
            Assert.Equal(count, written.GetValueOrDefault(measurement) + deadLettered);
        }
    }

    private static Dictionary<string, int> PerMeasurement(IEnumerable<string> points) =>
        points.GroupBy(p => p[..p.IndexOf(',')]).ToDictionary(g => g.Key, g => g.Count());

    [GeneratedRegex(@"(\d+) points refused by InfluxDB")]
    private static partial Regex RefusedCount();
}
