using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Replay;
using StreamMetrics.Core.Simulation;
using StreamMetrics.Core.Tests.Replay;
using Xunit.Abstractions;

namespace StreamMetrics.Core.Tests.Churn;

public sealed class ChurnBacktestTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset OnlineRetailCut = DateTimeOffset.Parse("2011-09-10T00:00:00Z");

    [Theory]
    [InlineData(ChurnModelChoice.Auto)]
    [InlineData(ChurnModelChoice.BgNbd)]
    [InlineData(ChurnModelChoice.ParetoNbd)]
    public void Explore(ChurnModelChoice choice)
    {
        ReplayData data;
        using (var reader = DataSetFiles.Open("online-retail/online_retail.csv.gz"))
            data = ReplayReader.Read(ReplayFormat.OnlineRetail, reader);
        var outcomes = ChurnBacktest.Evaluate(data.Orders, OnlineRetailCut, new ChurnThresholds(), choice);
        var repeat = ChurnScore.Of([.. outcomes.Where(o => o.RepeatBuyer)]);
        var all = ChurnScore.Of(outcomes);
        output.WriteLine($"{choice} repeat: {repeat} P {repeat.Precision:F3} R {repeat.Recall:F3} F1 {repeat.F1:F3}");
        output.WriteLine($"{choice} all: {all} P {all.Precision:F3} R {all.Recall:F3} F1 {all.F1:F3}");
        foreach (var o in outcomes.Where(o => o.RepeatBuyer).Take(5)) output.WriteLine($"{o.Metrics.PAlive:R} {o.Metrics.PNoOrder90d:R}");
    }
}
