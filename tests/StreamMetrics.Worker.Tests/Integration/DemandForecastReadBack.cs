using System.Text.Json;
using StreamMetrics.Kafka;
using StreamMetrics.Kafka.Source;
using StreamMetrics.Testing;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>Reads the unit forecasts of <c>demand_forecast</c> and the demand alerts back, as a planner would query them.</summary>
public static class DemandForecastReadBack
{
    public sealed record Band(double Forecast, double Lower, double Upper);

    /// <summary>Every unit forecast (the customer-based <c>bgnbd</c> or <c>pareto_nbd</c> ones have none), by level, key, horizon and target day.</summary>
    public static async Task<IReadOnlyDictionary<(string Level, string Key, int Horizon, DateTime Day), Band>> BandsAsync(InfluxdServer influx, string database)
    {
        using var result = await influx.QueryAsync(database,
            "SELECT forecast, lower, upper FROM demand_forecast WHERE method !~ /^(bgnbd|pareto_nbd)$/ GROUP BY level, region, category, sku, horizon");
        var bands = new Dictionary<(string, string, int, DateTime), Band>();
        foreach (var series in InfluxdServer.Series(result))
        {
            var tags = series.GetProperty("tags");
            var level = tags.GetProperty("level").GetString()!;
            var horizon = int.Parse(tags.GetProperty("horizon").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            foreach (var row in series.GetProperty("values").EnumerateArray())
                bands[(level, ActivitySums.DemandKeyOf(tags), horizon, DateTime.UnixEpoch.AddTicks(row[0].GetInt64() / 100))] =
                    new Band(row[1].GetDouble(), row[2].GetDouble(), row[3].GetDouble());
        }
        return bands;
    }

    /// <summary>Every record of a demand alerts topic, read up to the end offsets it has now.</summary>
    public static List<JsonElement> Alerts(string bootstrapServers, string topic)
    {
        var records = KafkaTopicInfo.EndOffsets(new KafkaClientSettings(bootstrapServers), topic, TimeSpan.FromSeconds(30)).Values.Sum();
        return AlertReader.ReadAll(bootstrapServers, topic, (int)records);
    }
}
