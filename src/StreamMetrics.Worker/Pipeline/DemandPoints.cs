using StreamMetrics.Core.Demand;
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
}
