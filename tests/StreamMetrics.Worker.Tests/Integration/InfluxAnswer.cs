using System.Text.Json;
using StreamMetrics.Testing;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>One series of an InfluxQL answer: its tags and its rows, each row by column name (time in UTC).</summary>
public sealed record InfluxSeries(IReadOnlyDictionary<string, string> Tags, IReadOnlyList<InfluxRow> Rows);

/// <summary>One row of an answer; <see cref="Time"/> is the point's (or the bucket's) timestamp.</summary>
public sealed class InfluxRow(DateTimeOffset time, IReadOnlyDictionary<string, JsonElement> values)
{
    public DateTimeOffset Time { get; } = time;

    /// <summary>The columns of the answer but time.</summary>
    public IEnumerable<string> Columns => values.Keys;

    public bool Has(string column) => values.TryGetValue(column, out var value) && value.ValueKind != JsonValueKind.Null;

    public double Number(string column) => values[column].GetDouble();

    public long Integer(string column) => values[column].GetInt64();

    public string Text(string column) => values[column].GetString()!;

    public override string ToString() => $"{Time:yyyy-MM-ddTHH:mm:ssZ} {string.Join(' ', values.Select(v => $"{v.Key}={v.Value}"))}";
}

/// <summary>Runs one InfluxQL statement on the test's influxd and returns its series.</summary>
public static class InfluxAnswer
{
    public static async Task<IReadOnlyList<InfluxSeries>> QueryAsync(InfluxdServer influx, string database, string statement)
    {
        using var answer = await influx.QueryAsync(database, statement);
        var series = new List<InfluxSeries>();
        foreach (var one in InfluxdServer.Series(answer))
        {
            var tags = one.TryGetProperty("tags", out var tagObject)
                ? tagObject.EnumerateObject().ToDictionary(t => t.Name, t => t.Value.GetString() ?? "")
                : new Dictionary<string, string>();
            var columns = one.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToList();
            var rows = new List<InfluxRow>();
            foreach (var row in one.GetProperty("values").EnumerateArray())
            {
                var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                for (var i = 1; i < columns.Count; i++) values[columns[i]] = row[i].Clone();
                rows.Add(new InfluxRow(DateTimeOffset.UnixEpoch.AddTicks(row[0].GetInt64() / 100), values));
            }
            series.Add(new InfluxSeries(tags, rows));
        }
        return series;
    }

    /// <summary>The rows of every series, for a statement whose answer is one series.</summary>
    public static async Task<IReadOnlyList<InfluxRow>> RowsAsync(InfluxdServer influx, string database, string statement) =>
        [.. (await QueryAsync(influx, database, statement)).SelectMany(s => s.Rows)];
}
