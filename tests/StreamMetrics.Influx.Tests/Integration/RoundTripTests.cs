using System.Text.Json;
using StreamMetrics.Influx.LineProtocol;
using StreamMetrics.Influx.Writing;

namespace StreamMetrics.Influx.Tests.Integration;

[Collection(nameof(InfluxServersCollection))]
public sealed class RoundTripTests(InfluxServersFixture servers)
{
    private static readonly DateTimeOffset Day = DateTimeOffset.Parse("2011-03-04T00:00:00Z");

    [Fact]
    public async Task Awkward_names_tags_and_strings_come_back_from_influxd_exactly()
    {
        const string measurement = "odd measure,ment=1";
        const string tagKey = "tag key,=x";
        const string tagValue = "O'Brien, \"Zürich\" = 東京 a\\b 😀";
        const string fieldKey = "field key,=y";
        const string text = "say \"hi\" to C:\\temp, ünïcödé 😀";
        await servers.Influxd.CreateDatabaseAsync("roundtrip");
        var options = new InfluxOptions { Url = servers.Influxd.Url, Database = "roundtrip", FlushInterval = TimeSpan.FromMilliseconds(20) };
        await using var writer = new InfluxWriter(options);

        var written = await writer.SubmitAsync([new Point(measurement, [new(tagKey, tagValue)],
            [new(fieldKey, FieldValue.Float(12.5)), new("text", FieldValue.String(text)), new("count", FieldValue.Integer(7))], Day)]);
        await writer.FlushAsync();
        await written;
        Assert.Equal(1, writer.Counters.Acked);

        using var answer = await servers.Influxd.QueryAsync("roundtrip", "SELECT * FROM \"odd measure,ment=1\" GROUP BY *");
        var series = Assert.Single(Testing.InfluxdServer.Series(answer));
        Assert.Equal(measurement, series.GetProperty("name").GetString());
        Assert.Equal(tagValue, series.GetProperty("tags").GetProperty(tagKey).GetString());
        var columns = series.GetProperty("columns").EnumerateArray().Select(c => c.GetString()).ToList();
        var row = series.GetProperty("values")[0];
        Assert.Equal(Day.ToUnixTimeMilliseconds() * 1_000_000, row[columns.IndexOf("time")].GetInt64());
        Assert.Equal(12.5, row[columns.IndexOf(fieldKey)].GetDouble());
        Assert.Equal(text, row[columns.IndexOf("text")].GetString());
        Assert.Equal(7, row[columns.IndexOf("count")].GetInt64());
    }

    [Fact]
    public async Task Points_in_a_field_type_conflict_go_to_the_refused_sink_with_influxds_reason_and_every_other_point_is_written()
    {
        await servers.Influxd.CreateDatabaseWithWeeklyShardsAsync("conflict", Day.AddDays(-7), Day.AddDays(21));
        var options = new InfluxOptions { Url = servers.Influxd.Url, Database = "conflict", BatchSize = 50, FlushInterval = TimeSpan.FromMilliseconds(20) };
        var refused = new Writing.RecordingRefusedPointSink();
        await using var writer = new InfluxWriter(options, refused: refused);
        // A week whose `orders` field someone else already wrote as a string: influxd refuses integers there, and only there.
        Point Activity(int customer, int day, FieldValue orders) =>
            new("customer_activity", [new("customer_id", $"c{customer}")], [new("orders", orders)], Day.AddDays(day));
        await (await writer.SubmitAsync([Activity(0, 7, FieldValue.String("planted"))]));
        var points = Enumerable.Range(0, 120).Select(i => Activity(i, i % 14, FieldValue.Integer(i))).ToList();

        var written = await writer.SubmitAsync(points);
        await writer.FlushAsync();
        await written;

        // influxd 1.x checks field types per shard, and shards are weeks: the days of the planted point's week conflict.
        var conflicting = points.Where(p => p.Timestamp >= Day.AddDays(3) && p.Timestamp < Day.AddDays(10)).ToList();
        using var answer = await servers.Influxd.QueryAsync("conflict", "SELECT \"orders\" FROM customer_activity WHERE customer_id =~ /./ AND \"orders\" >= 0");
        var stored = Testing.InfluxdServer.Series(answer).Single().GetProperty("values").GetArrayLength();
        Assert.True(points.Count == stored + refused.Points.Count, $"{stored} stored, {refused.Points.Count} refused of {points.Count}");
        Assert.Equal(conflicting.Select(LineProtocolEncoder.Encode).Order(), refused.Lines.Order());
        Assert.All(refused.Points, p => Assert.Contains("field type conflict", p.Reason));
        Assert.Equal((121L, 121L - conflicting.Count, (long)conflicting.Count), (writer.Counters.Submitted, writer.Counters.Acked, writer.Counters.Rejected));
    }

    [Fact]
    public async Task The_v2_write_path_is_read_back_from_victoria_metrics()
    {
        var options = new InfluxOptions
        {
            Url = servers.Victoria.Url, ApiVersion = "v2", Org = "acme", Bucket = "orders", Token = "unused-by-victoria",
            FlushInterval = TimeSpan.FromMilliseconds(20),
        };
        await using var writer = new InfluxWriter(options);
        var points = Enumerable.Range(0, 3).Select(i => new Point("customer_activity", [new("customer_id", $"c {i}")],
            [new("orders", FieldValue.Integer(i + 1)), new("revenue", FieldValue.Float(10.25 * (i + 1)))], Day.AddDays(i))).ToList();

        var written = await writer.SubmitAsync(points);
        await writer.FlushAsync();
        await written;
        Assert.Equal(3, writer.Counters.Acked);

        using var http = new HttpClient();
        await http.GetAsync($"{servers.Victoria.Url}/internal/force_flush");
        var exported = new List<(string Metric, string Customer, double Value, long Millis)>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (exported.Count < 6 && DateTime.UtcNow < deadline)
        {
            var body = await http.GetStringAsync($"{servers.Victoria.Url}/api/v1/export?match[]={Uri.EscapeDataString("{__name__=~\"customer_activity_.*\"}")}");
            exported = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line)).SelectMany(line =>
            {
                var metric = line.RootElement.GetProperty("metric");
                var values = line.RootElement.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToList();
                var times = line.RootElement.GetProperty("timestamps").EnumerateArray().Select(t => t.GetInt64()).ToList();
                return values.Zip(times, (v, t) => (metric.GetProperty("__name__").GetString()!, metric.GetProperty("customer_id").GetString()!, v, t));
            }).ToList();
            if (exported.Count < 6) await Task.Delay(200);
        }

        Assert.Equal(6, exported.Count);
        Assert.Contains(("customer_activity_orders", "c 2", 3.0, Day.AddDays(2).ToUnixTimeMilliseconds()), exported);
        Assert.Contains(("customer_activity_revenue", "c 1", 20.5, Day.AddDays(1).ToUnixTimeMilliseconds()), exported);
    }
}
