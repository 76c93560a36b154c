using StreamMetrics.Core.Demand;
using StreamMetrics.Core.Forecasting;
using StreamMetrics.Influx.LineProtocol;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>Maps a key's summed demand and its forecasts to <c>demand</c> and <c>demand_forecast</c> points (DESIGN §4).</summary>
public static class DemandPoints
{
    public static Point From(DemandKey key, DateTimeOffset periodStart, DemandFigures figures) =>
        new("demand", Tags(key),
        [
            new("units", FieldValue.Integer(figures.Units)),
            new("orders", FieldValue.Integer(figures.Orders)),
            new("revenue", FieldValue.Float((double)figures.Revenue)),
        ], periodStart);

    /// <summary>
    /// A <c>demand_forecast</c> point of the customer-based forecast, whose <c>method</c> is the purchase model that
    /// made it (<c>bgnbd</c> or <c>pareto_nbd</c>): expected orders and revenue of all customers on the day
    /// <paramref name="horizon"/> − 1 days after the watermark's.
    /// </summary>
    public static Point FromCustomers(string model, DateTimeOffset watermark, int horizon, double orders, double revenue) =>
        new("demand_forecast", [.. Tags(DemandKey.All), Horizon(horizon), new("method", model)],
        [new("orders", FieldValue.Float(orders)), new("revenue", FieldValue.Float(revenue))],
        new DateTimeOffset(watermark.UtcDateTime.Date, TimeSpan.Zero).AddDays(horizon - 1));

    /// <summary>A <c>demand_forecast</c> point: the forecast for the day <paramref name="firstDay"/> + horizon − 1 with its 80% interval.</summary>
    public static Point From(DemandKey key, DateTimeOffset firstDay, DayForecast forecast) =>
        new("demand_forecast",
        [
            .. Tags(key), Horizon(forecast.Horizon),
            new("method", forecast.Method == ForecastMethod.HoltWinters ? "holt_winters" : "simple_exponential_smoothing"),
        ],
        [
            new("forecast", FieldValue.Float(forecast.Forecast)),
            new("lower", FieldValue.Float(forecast.Lower80)),
            new("upper", FieldValue.Float(forecast.Upper80)),
        ], firstDay.AddDays(forecast.Horizon - 1));

    /// <summary>
    /// <c>level</c>, then one tag named after the level holding the key (<c>region</c>, <c>category</c>, <c>sku</c>);
    /// the total has none. No tag is an InfluxQL keyword, so queries need no quotes.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Tags(DemandKey key) => key.Level switch
    {
        DemandKey.Total => [new("level", key.Level)],
        _ => [new("level", key.Level), new(key.Level, key.Key)],
    };

    private static KeyValuePair<string, string> Horizon(int horizon) => new("horizon", horizon.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
