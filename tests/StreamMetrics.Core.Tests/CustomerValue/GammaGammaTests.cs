using StreamMetrics.Core.Churn;
using StreamMetrics.Core.CustomerValue;
using StreamMetrics.Core.Tests.Churn;

namespace StreamMetrics.Core.Tests.CustomerValue;

public sealed class GammaGammaTests
{
    /// <summary>Fader &amp; Hardie (2013), "The Gamma-Gamma Model of Monetary Value": the CDNOW calibration fit.</summary>
    private static readonly GammaGammaParameters Published = new(6.2496, 3.7442, 15.4435);

    private static IEnumerable<SpendHistory> CdnowSpend => CdnowSummaries.Calibration.Select(SpendHistory.Of);

    [Fact]
    public void The_summaries_hold_the_calibration_the_purchase_models_are_tested_on()
    {
        var histories = CdnowSummaries.Calibration.Select(c => c.History!.Value);

        Assert.Equal(BgNbdTests.CdnowCalibration(daysPerUnit: 1).OrderBy(h => (h.X, h.Tx, h.T)), histories.OrderBy(h => (h.X, h.Tx, h.T)));
    }

    [Fact]
    public void Fitting_CDNOW_gives_the_published_parameters_on_its_946_repeat_customers()
    {
        var fit = GammaGammaFitter.Fit(CdnowSpend);

        Assert.Equal(946, fit.Customers);
        AssertWithin(Published.P, fit.Parameters.P, 0.01);
        AssertWithin(Published.Q, fit.Parameters.Q, 0.01);
        AssertWithin(Published.Gamma, fit.Parameters.Gamma, 0.01);
        Assert.Equal(GammaGammaFitter.LogLikelihood(fit.Parameters, CdnowSpend), fit.LogLikelihood, 1e-9);
    }

    [Fact]
    public void The_first_ten_customers_expect_the_spend_of_Hardies_spreadsheet()
    {
        // brucehardie.com/notes/025: E(M) for CDNOW customers 1–10 at the published fit; 35.17 is the population mean.
        var expected = new[] { 24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17 };

        var actual = CdnowSummaries.Calibration.Take(10).Select(c => GammaGamma.ExpectedSpend(Published, SpendHistory.Of(c))).ToArray();

        Assert.Equal([.. Enumerable.Range(1, 10).Select(i => $"{i:D4}")], CdnowSummaries.Calibration.Take(10).Select(c => c.CustomerId));
        Assert.All(expected.Zip(actual), pair => Assert.Equal(pair.First, pair.Second, 0.005));
        Assert.Equal(35.17, GammaGamma.PopulationMeanSpend(Published), 0.005);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(12)]
    public void The_density_of_the_mean_spend_integrates_to_one_around_the_population_mean(int repeatDays)
    {
        double Density(double mean) => Math.Exp(GammaGamma.LogLikelihood(Published, new SpendHistory(repeatDays, mean)));

        // m̄ₓ = e^u: the density's heavy right tail (q = 3.7) is then a fast-falling one.
        double Integrate(Func<double, double> f) =>
            MathNet.Numerics.Integration.GaussLegendreRule.Integrate(u => f(Math.Exp(u)) * Math.Exp(u), -15, 15, 2048);

        Assert.Equal(1, Integrate(Density), 1e-8);
        Assert.Equal(GammaGamma.PopulationMeanSpend(Published), Integrate(m => m * Density(m)), 1e-6);
    }

    [Fact]
    public void The_fit_is_the_same_in_cents_up_to_the_scale_of_gamma()
    {
        var inDollars = GammaGammaFitter.Fit(CdnowSpend);
        var inCents = GammaGammaFitter.Fit(CdnowSpend.Select(s => s with { MeanSpend = s.MeanSpend * 100 }));

        Assert.Equal(inDollars.Parameters.P, inCents.Parameters.P, inDollars.Parameters.P * 1e-6);
        Assert.Equal(inDollars.Parameters.Q, inCents.Parameters.Q, inDollars.Parameters.Q * 1e-6);
        Assert.Equal(inDollars.Parameters.Gamma * 100, inCents.Parameters.Gamma, inDollars.Parameters.Gamma * 100 * 1e-6);
    }

    [Fact]
    public void The_fit_depends_on_the_buyers_not_on_their_order()
    {
        Assert.Equal(GammaGammaFitter.Fit(CdnowSpend, Published), GammaGammaFitter.Fit(CdnowSpend.Reverse(), Published));
    }

    [Fact]
    public void Too_few_repeat_buyers_are_not_fitted()
    {
        var few = Enumerable.Range(1, GammaGammaFitter.MinRepeatBuyers - 1).Select(i => new SpendHistory(1, i))
            .Concat(Enumerable.Repeat(new SpendHistory(0, 0), 100))
            .Append(new SpendHistory(2, 0));

        Assert.Null(GammaGammaFitter.TryFit(few));
    }

    private static void AssertWithin(double published, double actual, double share) =>
        Assert.True(Math.Abs(actual - published) <= share * published, $"{actual} is not within {share:P0} of {published}");
}
