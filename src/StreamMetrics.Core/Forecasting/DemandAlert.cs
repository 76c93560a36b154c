using System.Text.Json;
using StreamMetrics.Core.Demand;

namespace StreamMetrics.Core.Forecasting;

/// <summary>
/// A closed day whose units fell outside the 95% interval of its one-day-ahead forecast, for the
/// <c>demand-alerts</c> topic. <see cref="AlertId"/> comes from key and day, so a replay repeats it.
/// </summary>
public sealed record DemandAlert(DemandKey Key, DateTimeOffset Day, double Observed, double Forecast, double Lower, double Upper)
{
    public string AlertId => StableHash.Of($"{Key.Level}\n{Key.Key}\n{Day.UtcTicks}").ToString("x16");

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(new
    {
        alert_id = AlertId,
        level = Key.Level,
        key = Key.Key,
        period = Day.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        observed = Observed,
        forecast = Forecast,
        lower = Lower,
        upper = Upper,
    });
}
