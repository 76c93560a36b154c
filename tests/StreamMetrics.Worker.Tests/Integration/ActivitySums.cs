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

    /// <summary>
    /// The lifetime and trailing totals and RFM scores of every customer's <c>customer_metrics</c> point at
    /// <paramref name="at"/>, one line each, sorted. The model's own figures (P(alive)) are left out: a fit
    /// warm-started from another point agrees only to the optimiser's tolerance.
    /// </summary>
    public static async Task<IReadOnlyList<string>> MetricTotalsAsync(InfluxdServer influx, string database, DateTimeOffset at)
    {
        using var result = await QueryAsync(influx, database,
            $"SELECT segment, orders_total, revenue_total, orders_7d, revenue_7d, orders_30d, revenue_30d, orders_90d, revenue_90d, rfm_r, rfm_f, rfm_m FROM customer_metrics WHERE time = '{at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}' GROUP BY customer_id");
        var lines = new List<string>();
        foreach (var series in Series(result))
        {
            var tags = series.GetProperty("tags");
            foreach (var row in series.GetProperty("values").EnumerateArray())
                lines.Add($"{tags.GetProperty("customer_id").GetString()} {string.Join(' ', row.EnumerateArray().Skip(1).Select(v => v.ToString()))}");
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>Every <c>demand</c> point, keyed by level, key and day.</summary>
    public static async Task<IReadOnlyDictionary<(string Level, string Key, DateTime Day), (long Units, long Orders, double Revenue)>> DemandAsync(
        InfluxdServer influx, string database)
    {
        using var result = await QueryAsync(influx, database, "SELECT units, orders, revenue FROM demand GROUP BY level, region, category, sku");
        var points = new Dictionary<(string, string, DateTime), (long, long, double)>();
        foreach (var series in Series(result))
        {
            var tags = series.GetProperty("tags");
            foreach (var row in series.GetProperty("values").EnumerateArray())
                points[(tags.GetProperty("level").GetString()!, DemandKeyOf(tags), DateTime.UnixEpoch.AddTicks(row[0].GetInt64() / 100))] =
                    (row[1].GetInt64(), row[2].GetInt64(), row[3].GetDouble());
        }
        return points;
    }

    /// <summary>Every <c>demand_forecast</c> point as one line of text (time, tags, fields), sorted.</summary>
    public static async Task<IReadOnlyList<string>> ForecastsAsync(InfluxdServer influx, string database)
    {
        using var result = await QueryAsync(influx, database, "SELECT forecast, lower, upper FROM demand_forecast GROUP BY level, region, category, sku, horizon, method");
        var lines = new List<string>();
        foreach (var series in Series(result))
        {
            // GROUP BY names every level's tag; a series has only its own (the others come back empty).
            var tags = string.Join(' ', series.GetProperty("tags").EnumerateObject().Where(t => t.Value.GetString() is { Length: > 0 }).Select(t => $"{t.Name}={t.Value.GetString()}"));
            foreach (var row in series.GetProperty("values").EnumerateArray())
                lines.Add($"{tags} {string.Join(' ', row.EnumerateArray().Select(v => v.ToString()))}");
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>The key of a demand series: the value of its region, category or sku tag, or "all" for the total.</summary>
    public static string DemandKeyOf(JsonElement tags) =>
        new[] { "region", "category", "sku" }.Select(name => tags.TryGetProperty(name, out var value) ? value.GetString() : null)
            .FirstOrDefault(value => !string.IsNullOrEmpty(value)) ?? "all";

    private static Task<JsonDocument> QueryAsync(InfluxdServer influx, string database, string query) => influx.QueryAsync(database, query);

    private static IEnumerable<JsonElement> Series(JsonDocument result) => InfluxdServer.Series(result);
}
