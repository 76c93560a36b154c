using StreamMetrics.Core.Demand;
using StreamMetrics.Core.Forecasting;
using StreamMetrics.Core.Replay;
using StreamMetrics.Core.Tests.Replay;
using Xunit.Abstractions;

namespace StreamMetrics.Core.Tests.Forecasting;

public sealed class OnlineRetailBacktestTests(ITestOutputHelper output)
{
    [Fact]
    public void Over_the_last_eight_weeks_the_forecaster_beats_seasonal_naive_by_a_tenth_at_every_level_with_calibrated_intervals()
    {
        DailyDemand demand;
        using (var reader = DataSetFiles.Open("online-retail/online_retail.csv.gz"))
            demand = DailyDemand.From(ReplayReader.Read(ReplayFormat.OnlineRetail, reader).Orders);

        foreach (var (level, take) in new[] { (DemandKey.Total, int.MaxValue), (DemandKey.Region, int.MaxValue), (DemandKey.Sku, 50) })
        {
            var score = Backtest.Evaluate([.. demand.ByRevenue(level).Take(take).Select(demand.Units)], testDays: 56, maxHorizon: 7);
            output.WriteLine($"{level}: {score}");
            Assert.True(score.Mae <= 0.9 * score.MaeSeasonalNaive, $"{level}: MAE {score.Mae} against seasonal naive {score.MaeSeasonalNaive}");
            Assert.InRange(score.Coverage80, 0.7, 0.9);
        }
    }
}
