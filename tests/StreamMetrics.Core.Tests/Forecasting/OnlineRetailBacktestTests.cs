using StreamMetrics.Core.Demand;
using StreamMetrics.Core.Forecasting;
using StreamMetrics.Core.Replay;
using StreamMetrics.Core.Tests.Replay;
using Xunit.Abstractions;

namespace StreamMetrics.Core.Tests.Forecasting;

public sealed class OnlineRetailBacktestTests(ITestOutputHelper output)
{
    [Fact]
    public void Over_the_last_eight_weeks_the_live_monitor_beats_seasonal_naive_with_calibrated_intervals_and_few_alerts()
    {
        DailyDemand demand;
        using (var reader = DataSetFiles.Open("online-retail/online_retail.csv.gz"))
            demand = DailyDemand.From(ReplayReader.Read(ReplayFormat.OnlineRetail, reader).Orders);

        var scores = Backtest.Run(demand, new Dictionary<string, IReadOnlyList<DemandKey>>
        {
            [DemandKey.Total] = demand.ByRevenue(DemandKey.Total),
            [DemandKey.Region] = demand.ByRevenue(DemandKey.Region),
            [DemandKey.Sku] = [.. demand.ByRevenue(DemandKey.Sku).Take(50)],
        }, testDays: 56, maxHorizon: 7);

        foreach (var (level, score) in scores)
        {
            output.WriteLine($"{level}: {score}");
            foreach (var series in score.PerSeries.Where(s => s.Regular))
                output.WriteLine($"  {series.Key}: {series} {series.DayAhead} alerts {series.Alerts} of {series.DemandDays}");
        }
    }
}
