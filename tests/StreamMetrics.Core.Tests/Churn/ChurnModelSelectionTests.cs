using MathNet.Numerics.Distributions;
using StreamMetrics.Core.Churn;

namespace StreamMetrics.Core.Tests.Churn;

public sealed class ChurnModelSelectionTests
{
    private static readonly List<CustomerHistory> Cdnow = BgNbdTests.CdnowCalibration(daysPerUnit: 1);

    [Fact]
    public void Auto_picks_BG_NBD_on_CDNOW_where_its_likelihood_is_higher()
    {
        var selection = ChurnModelSelection.Fit(Cdnow, ChurnModelChoice.Auto);

        Assert.NotNull(selection.BgNbd);
        Assert.NotNull(selection.ParetoNbd);
        Assert.True(selection.BgNbd.LogLikelihood > selection.ParetoNbd.LogLikelihood);
        Assert.Same(selection.BgNbd, selection.Chosen);
        Assert.Equal(ModelNames.BgNbd, selection.Chosen!.Name);
    }

    [Fact]
    public void Auto_picks_Pareto_NBD_on_customers_who_drop_out_whether_or_not_they_buy()
    {
        var truth = new ParetoNbdParameters(0.8, 20, 1.5, 60);
        var population = SimulateParetoNbd(truth, customers: 3_000, seed: 16);

        var selection = ChurnModelSelection.Fit(population, ChurnModelChoice.Auto);

        Assert.True(selection.ParetoNbd!.LogLikelihood > selection.BgNbd!.LogLikelihood);
        Assert.Same(selection.ParetoNbd, selection.Chosen);
        // And the fit finds the behaviour it was simulated with.
        var fitted = selection.ParetoNbd.Parameters;
        Assert.InRange(fitted.R / fitted.Alpha, 0.9 * truth.R / truth.Alpha, 1.1 * truth.R / truth.Alpha);
        Assert.InRange(fitted.S / fitted.Beta, 0.8 * truth.S / truth.Beta, 1.2 * truth.S / truth.Beta);
    }

    [Theory]
    [InlineData(ChurnModelChoice.BgNbd, ModelNames.BgNbd)]
    [InlineData(ChurnModelChoice.ParetoNbd, ModelNames.ParetoNbd)]
    public void A_configured_model_evaluates_customers_whatever_the_likelihoods_say(ChurnModelChoice choice, string name)
    {
        var selection = ChurnModelSelection.Fit(Cdnow, choice);

        var model = selection.Chosen!;
        Assert.Equal(name, model.Name);
        Assert.NotNull(selection.BgNbd);
        Assert.NotNull(selection.ParetoNbd);
        var customer = new CustomerHistory(2, 213, 272);
        var (pAlive, expected) = choice == ChurnModelChoice.BgNbd
            ? (BgNbd.PAlive(selection.BgNbd.Parameters, customer), BgNbd.ExpectedPurchases(selection.BgNbd.Parameters, customer, 90))
            : (ParetoNbd.PAlive(selection.ParetoNbd.Parameters, customer), ParetoNbd.ExpectedPurchases(selection.ParetoNbd.Parameters, customer, 90));
        Assert.Equal(pAlive, model.PAlive(customer));
        Assert.Equal(expected, model.ExpectedPurchases(customer, 90));
    }

    [Fact]
    public void A_population_that_cannot_be_fitted_keeps_the_previous_fits_and_choice()
    {
        var previous = ChurnModelSelection.Fit(Cdnow, ChurnModelChoice.Auto);
        var young = Enumerable.Repeat(new CustomerHistory(0, 0, 3), 50).Append(new CustomerHistory(1, 1, 3)).ToList();

        Assert.Equal(previous, ChurnModelSelection.Fit(young, ChurnModelChoice.Auto, previous));
        Assert.Equal(ChurnModelSelection.None, ChurnModelSelection.Fit(young, ChurnModelChoice.Auto));
    }

    [Fact]
    public void The_same_population_and_previous_fits_give_the_same_selection()
    {
        var first = ChurnModelSelection.Fit(Cdnow, ChurnModelChoice.Auto);

        Assert.Equal(ChurnModelSelection.Fit(Cdnow, ChurnModelChoice.Auto, first), ChurnModelSelection.Fit(Cdnow, ChurnModelChoice.Auto, first));
    }

    [Theory]
    [InlineData("auto", ChurnModelChoice.Auto)]
    [InlineData("bgnbd", ChurnModelChoice.BgNbd)]
    [InlineData(" Pareto_NBD ", ChurnModelChoice.ParetoNbd)]
    public void The_configured_names_are_read(string text, ChurnModelChoice expected)
    {
        Assert.True(ModelNames.TryParseChoice(text, out var choice));
        Assert.Equal(expected, choice);
        Assert.Equal(text.Trim().ToLowerInvariant(), ModelNames.Of(choice));
    }

    [Theory]
    [InlineData("pareto")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_names_are_refused(string? text) => Assert.False(ModelNames.TryParseChoice(text, out _));

    /// <summary>
    /// Customers who buy as Pareto/NBD assumes: λ ~ Gamma(r, α), a lifetime ~ Exponential(μ) with μ ~ Gamma(s, β),
    /// observed for 30 to 365 days after a first purchase at 0.
    /// </summary>
    private static List<CustomerHistory> SimulateParetoNbd(ParetoNbdParameters p, int customers, int seed)
    {
        var random = new Random(seed);
        var population = new List<CustomerHistory>(customers);
        for (var i = 0; i < customers; i++)
        {
            var lambda = Gamma.Sample(random, p.R, p.Alpha);
            var mu = Gamma.Sample(random, p.S, p.Beta);
            var age = 30 + 335 * random.NextDouble();
            var end = Math.Min(Exponential.Sample(random, mu), age);
            var (purchases, last, at) = (0, 0.0, Exponential.Sample(random, lambda));
            for (; at <= end; at += Exponential.Sample(random, lambda)) (purchases, last) = (purchases + 1, at);
            population.Add(new CustomerHistory(purchases, last, age));
        }
        return population;
    }
}
