using StreamMetrics.Core.Demand;
using StreamMetrics.Core.Forecasting;
using StreamMetrics.Influx.LineProtocol;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>Maps a key's summed demand in one period to a <c>demand</c> point (DESIGN §4 as amended by issue 6).</summary>
public static class DemandPoints
{
    public static Point From(DemandKey key, DateTimeOffset periodStart, DemandFigures figures) =>
        new("demand", [new("level", key.Level), new("key", key.Key)],
        [
            new("units", FieldValue.Integer(figures.Units)),
            new("orders", FieldValue.Integer(figures.Orders)),
            new("revenue", FieldValue.Float((double)figures.Revenue)),
        ], periodStart);

    /// <summary>
    /// A <c>demand_forecast</c> point of the customer-based forecast (<c>method=bgnbd</c>): expected orders
    /// and revenue of all customers on the day <paramref name="horizon"/> − 1 days after the watermark's.
    /// </summary>
    public static Point FromCustomers(DateTimeOffset watermark, int horizon, double orders, double revenue) =>
        new("demand_forecast",
        [
            new("level", DemandKey.Total), new("key", DemandKey.All.Key),
            new("horizon", horizon.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("method", "bgnbd"),
        ],
        [new("orders", FieldValue.Float(orders)), new("revenue", FieldValue.Float(revenue))],
        new DateTimeOffset(watermark.UtcDateTime.Date, TimeSpan.Zero).AddDays(horizon - 1));

    /// <summary>A <c>demand_forecast</c> point: the forecast for the day <paramref name="firstDay"/> + horizon − 1 with its 80% interval.</summary>
    public static Point From(DemandKey key, DateTimeOffset firstDay, DayForecast forecast) =>
        new("demand_forecast",
        [
            new("level", key.Level), new("key", key.Key),
            new("horizon", forecast.Horizon.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("method", forecast.Method == ForecastMethod.HoltWinters ? "holt_winters" : "simple_exponential_smoothing"),
        ],
        [
            new("forecast", FieldValue.Float(forecast.Forecast)),
            new("lower", FieldValue.Float(forecast.Lower80)),
            new("upper", FieldValue.Float(forecast.Upper80)),
        ], firstDay.AddDays(forecast.Horizon - 1));
}
