using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Customers;
using StreamMetrics.Core.Segments;

namespace StreamMetrics.Worker.Tests.Actors;

/// <summary>A population model for actor tests: the CDNOW fit in days (Fader, Hardie and Lee 2005) over a small made-up population.</summary>
internal static class TestModels
{
    public static PopulationModel Cdnow()
    {
        var fit = new BgNbdFit(new BgNbdParameters(0.2426, 30.8952, 0.7929, 2.4259), -14363.5, 2357);
        var population = Enumerable.Range(1, 50).Select(i => new CustomerSummary($"p{i}", new CustomerHistory(2, 40, 200), i, 3, 30m * i, i));
        return new PopulationModel(new ChurnModelSelection(fit, null, fit), null, RfmCutPoints.From(population), new ChurnClassifier(new ChurnThresholds(), population));
    }
}
