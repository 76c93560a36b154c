using System.Globalization;
using StreamMetrics.Testing;

namespace StreamMetrics.Influx.Tests.Integration;

/// <summary>
/// What keeps the tests clear of influxd's lost first write into an idle shard (<see cref="InfluxdServer.CreateDatabaseAsync"/>):
/// every date the tests write to lies in a shard that holds a point before the test begins.
/// </summary>
[Collection(nameof(InfluxServersCollection))]
public sealed class OpenedShardsTests(InfluxServersFixture servers)
{
    [Fact]
    public async Task Every_date_the_tests_write_lies_in_a_shard_opened_when_the_database_was_created()
    {
        await servers.Influxd.CreateDatabaseAsync("opened");

        var shards = await ShardsAsync("opened");
        // CDNOW, Online Retail, and the wall clock of the `pipeline` measurement.
        DateTimeOffset[] written = [new(1997, 1, 1, 0, 0, 0, TimeSpan.Zero), new(2011, 12, 9, 0, 0, 0, TimeSpan.Zero), DateTimeOffset.UtcNow];
        Assert.All(written, date => Assert.Contains(shards, shard => shard.Start <= date && date < shard.End));
        Assert.Equal(shards.Count, await OpeningPointsAsync("opened"));
    }

    [Fact]
    public async Task Weekly_shards_are_opened_for_every_week_asked_for()
    {
        var from = new DateTimeOffset(2011, 3, 2, 0, 0, 0, TimeSpan.Zero);
        await servers.Influxd.CreateDatabaseWithWeeklyShardsAsync("opened_weekly", from, from.AddDays(27));

        var shards = await ShardsAsync("opened_weekly");
        Assert.All(Enumerable.Range(0, 28).Select(day => from.AddDays(day)),
            date => Assert.Contains(shards, shard => shard.Start <= date && date < shard.End));
        Assert.All(shards, shard => Assert.Equal(TimeSpan.FromDays(7), shard.End - shard.Start));
        Assert.Equal(shards.Count, await OpeningPointsAsync("opened_weekly"));
    }

    private async Task<List<(DateTimeOffset Start, DateTimeOffset End)>> ShardsAsync(string database)
    {
        using var answer = await servers.Influxd.QueryAsync(null, "SHOW SHARDS");
        var series = InfluxdServer.Series(answer).Single(s => s.GetProperty("name").GetString() == database);
        var columns = series.GetProperty("columns").EnumerateArray().Select(c => c.GetString()).ToList();
        DateTimeOffset At(System.Text.Json.JsonElement row, string column) =>
            DateTimeOffset.Parse(row[columns.IndexOf(column)].GetString()!, CultureInfo.InvariantCulture);
        return [.. series.GetProperty("values").EnumerateArray().Select(row => (At(row, "start_time"), At(row, "end_time")))];
    }

    private async Task<long> OpeningPointsAsync(string database)
    {
        using var answer = await servers.Influxd.QueryAsync(database, $"SELECT count(opened) FROM {InfluxdServer.OpeningMeasurement}");
        return InfluxdServer.Series(answer).Single().GetProperty("values")[0][1].GetInt64();
    }
}
