using System.Text;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using StreamMetrics.Kafka;
using StreamMetrics.Kafka.Source;
using StreamMetrics.Testing;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>
/// Everything a run wrote that its users read, as text to compare runs by: every point of every
/// measurement but <c>pipeline</c> (which is about the worker, in wall-clock time) and the test's own
/// <see cref="InfluxdServer.OpeningMeasurement"/>, and the distinct
/// alerts on an alerts topic.
/// </summary>
public static partial class WrittenOutput
{
    /// <summary>Every point as one line (measurement, tags, time, fields), sorted.</summary>
    public static async Task<IReadOnlyList<string>> PointsAsync(InfluxdServer influx, string database)
    {
        var lines = new List<string>();
        using var measurements = await influx.QueryAsync(database, "SHOW MEASUREMENTS");
        var names = InfluxdServer.Series(measurements).SelectMany(s => s.GetProperty("values").EnumerateArray()).Select(row => row[0].GetString()!)
            .Where(name => name is not ("pipeline" or InfluxdServer.OpeningMeasurement)).ToList();
        foreach (var name in names)
        {
            using var points = await influx.QueryAsync(database, $"SELECT * FROM \"{name}\" GROUP BY *");
            foreach (var series in InfluxdServer.Series(points))
            {
                var tags = series.TryGetProperty("tags", out var t) ? string.Join(',', t.EnumerateObject().Select(tag => $"{tag.Name}={tag.Value.GetString()}")) : "";
                var columns = series.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToList();
                foreach (var row in series.GetProperty("values").EnumerateArray())
                {
                    var fields = row.EnumerateArray().Select((value, i) => (Column: columns[i], Value: value))
                        .Where(f => f.Column != "time" && f.Value.ValueKind != System.Text.Json.JsonValueKind.Null)
                        .Select(f => $"{f.Column}={f.Value}");
                    lines.Add($"{name},{tags} {row[0]} {string.Join(',', fields)}");
                }
            }
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>The distinct records of a topic (key and value as text), read from the start to the end offsets, sorted.</summary>
    public static IReadOnlyList<string> DistinctRecords(string bootstrapServers, string topic)
    {
        var ends = KafkaTopicInfo.EndOffsets(new KafkaClientSettings(bootstrapServers), topic, TimeSpan.FromSeconds(30));
        var config = new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = $"output-reader-{Guid.NewGuid():N}", EnableAutoCommit = false };
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        consumer.Assign(ends.Where(e => e.Value > 0).Select(e => new TopicPartitionOffset(topic, e.Key, Offset.Beginning)));
        var records = new HashSet<string>(StringComparer.Ordinal);
        var remaining = ends.Where(e => e.Value > 0).ToDictionary(e => e.Key, e => e.Value);
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (remaining.Count > 0 && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is not { Message: { } message } result) continue;
            records.Add($"{Encoding.UTF8.GetString(message.Key ?? [])} {Encoding.UTF8.GetString(message.Value ?? [])}");
            if (result.Offset.Value + 1 >= remaining.GetValueOrDefault(result.Partition.Value, long.MaxValue)) remaining.Remove(result.Partition.Value);
        }
        Assert.True(remaining.Count == 0, $"{topic}: partitions {string.Join(",", remaining.Keys)} not read to their end within a minute");
        return [.. records.Order(StringComparer.Ordinal)];
    }

    /// <summary>Lines only one of two outputs has, a few of each, to say how two runs differ.</summary>
    public static string Differences(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var missing = expected.Except(actual).ToList();
        var extra = actual.Except(expected).ToList();
        return $"{missing.Count} expected lines missing, {extra.Count} unexpected lines; by measurement: " +
            string.Join(", ", missing.Concat(extra).GroupBy(line => line.Split(',', ' ')[0]).Select(g => $"{g.Key} {g.Count()}")) +
            $"\nmissing, by measurement and time:\n{Spans(missing)}\nunexpected, by measurement and time:\n{Spans(extra)}" +
            $"\nmissing, for example:\n{string.Join("\n", missing.Take(8))}\nunexpected, for example:\n{string.Join("\n", extra.Take(8))}";
    }

    /// <summary>For each measurement, how many lines and the times they span: what tells one lost command from a lost partition.</summary>
    private static string Spans(IEnumerable<string> lines) =>
        string.Join("\n", lines.Select(line => (Measurement: line.Split(',', ' ')[0], Nanoseconds: long.Parse(TimeOf().Match(line).Groups[1].Value)))
            .GroupBy(line => line.Measurement)
            .Select(g => $"{g.Key}: {g.Count()} lines at {g.Select(l => l.Nanoseconds).Distinct().Count()} times from {Shown(g.Min(l => l.Nanoseconds))} to {Shown(g.Max(l => l.Nanoseconds))}"));

    /// <summary>
    /// Where points a run should have written went, for a failure to say: whether InfluxDB answers each of a few of them
    /// when asked for its series alone, what influxd complained of, and how many of them all it answers once restarted
    /// (its in-memory index rebuilt from its files). Restarts <paramref name="influx"/>.
    /// </summary>
    public static async Task<string> ExplainMissingAsync(InfluxdServer influx, string database, IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var missing = expected.Except(actual).ToList();
        var explained = new StringBuilder("\nasked for alone:");
        try
        {
            foreach (var point in missing.Select(line => PointOf().Match(line)).Where(point => point.Success).Take(3))
            {
                var where = string.Join(" AND ", point.Groups["tags"].Value.Split(',').Select(tag => tag.Split('=', 2)).Select(tag => $"\"{tag[0]}\" = '{tag[1]}'"));
                using var answer = await influx.QueryAsync(database,
                    $"SELECT * FROM \"{point.Groups["measurement"].Value}\" WHERE {where} AND time = {point.Groups["time"].Value}");
                explained.Append($"\n{point.Value}→ {InfluxdServer.Series(answer).Sum(series => series.GetProperty("values").GetArrayLength())} rows");
            }
            var complaints = influx.Log.Split('\n').Where(line => line.Contains("lvl=warn") || line.Contains("lvl=error")).TakeLast(10).ToList();
            explained.Append($"\ninfluxd's last warnings and errors ({complaints.Count}):\n{string.Join("\n", complaints)}");
            await influx.StopAsync();
            await influx.StartAgainAsync();
            var restarted = (await PointsAsync(influx, database)).ToHashSet(StringComparer.Ordinal);
            explained.Append($"\nafter a restart of influxd, {missing.Count(restarted.Contains)} of the {missing.Count} missing lines are answered, and {restarted.Except(expected).Count()} unexpected ones");
        }
        catch (Exception e)
        {
            explained.Append($"\ncould not ask: {e.Message}");
        }
        return explained.ToString();
    }

    private static string Shown(long nanoseconds) => DateTimeOffset.FromUnixTimeMilliseconds(nanoseconds / 1_000_000).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    // A line of PointsAsync: the measurement, its tags (when none holds a comma or a space), its time.
    [GeneratedRegex(@"^(?<measurement>[^,]+),(?<tags>\S*) (?<time>-?\d+) ")]
    private static partial Regex PointOf();

    // The point's time: the one bare number of a line, between its tags and its fields (both key=value).
    [GeneratedRegex(@" (-?\d+) ")]
    private static partial Regex TimeOf();
}
