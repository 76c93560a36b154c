using System.Text.Json;
using StreamMetrics.Testing;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>Reads <c>customer_activity</c> back from influxd with InfluxQL.</summary>
public static class ActivitySums
{
    public sealed record CustomerSums(long Orders, double Revenue, long Returns, double Refunded);

    public static async Task<IReadOnlyDictionary<string, CustomerSums>> PerCustomerAsync(InfluxdServer influx, string database)
    {
        using var result = await QueryAsync(influx, database,
            "SELECT sum(orders), sum(revenue), sum(returns), sum(refunded) FROM customer_activity GROUP BY customer_id");
        var sums = new Dictionary<string, CustomerSums>();
        foreach (var series in Series(result))
        {
            var row = series.GetProperty("values")[0];
            sums[series.GetProperty("tags").GetProperty("customer_id").GetString()!] =
                new CustomerSums(row[1].GetInt64(), row[2].GetDouble(), row[3].GetInt64(), row[4].GetDouble());
        }
        return sums;
    }

    /// <summary>Every point as one line of text (time, customer, fields), in a stable order, to compare whole databases.</summary>
    public static async Task<IReadOnlyList<string>> AllPointsAsync(InfluxdServer influx, string database)
    {
        using var result = await QueryAsync(influx, database,
            "SELECT orders, revenue, returns, refunded, units, aov FROM customer_activity GROUP BY customer_id");
        var points = new List<string>();
        foreach (var series in Series(result))
        {
            var customer = series.GetProperty("tags").GetProperty("customer_id").GetString();
            foreach (var row in series.GetProperty("values").EnumerateArray())
                points.Add($"{customer} {string.Join(' ', row.EnumerateArray().Select(v => v.ToString()))}");
        }
        points.Sort(StringComparer.Ordinal);
        return points;
    }

    private static Task<JsonDocument> QueryAsync(InfluxdServer influx, string database, string query) => influx.QueryAsync(database, query);

    private static IEnumerable<JsonElement> Series(JsonDocument result) => InfluxdServer.Series(result);
}
