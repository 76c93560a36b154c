using StreamMetrics.Core.Churn;
using StreamMetrics.Core.CustomerValue;
using StreamMetrics.Core.Tests.Churn;

namespace StreamMetrics.Core.Tests.CustomerValue;

public sealed class CustomerLifetimeValueTests
{
    private static readonly List<CustomerHistory> Histories = [.. CdnowSummaries.Calibration.Select(c => c.History!.Value)];
    private static readonly GammaGammaFit Spend = GammaGammaFitter.Fit(CdnowSummaries.Calibration.Select(SpendHistory.Of));

    public static TheoryData<string, string> Customers => new()
    {
        { ModelNames.BgNbd, "0001" }, { ModelNames.BgNbd, "0003" }, { ModelNames.BgNbd, "0006" }, { ModelNames.BgNbd, "1516" },
        { ModelNames.ParetoNbd, "0001" }, { ModelNames.ParetoNbd, "0003" }, { ModelNames.ParetoNbd, "0006" }, { ModelNames.ParetoNbd, "1516" },
    };

    [Theory]
    [MemberData(nameof(Customers))]
    public void Twelve_months_of_value_equal_the_closed_form_at_the_CDNOW_fits(string modelName, string customerId)
    {
        var choice = modelName == ModelNames.BgNbd ? ChurnModelChoice.BgNbd : ChurnModelChoice.ParetoNbd;
        var selection = ChurnModelSelection.Fit(Histories, choice);
        var customer = CdnowSummaries.Calibration.Single(c => c.CustomerId == customerId);
        var history = customer.History!.Value;
        var spend = SpendHistory.Of(customer);

        // Every piece written out here from the papers, apart from the code under test.
        var (p, q, gamma) = Spend.Parameters;
        var expectedSpend = p * (gamma + spend.MeanSpend * spend.RepeatDays) / (p * spend.RepeatDays + q - 1);
        Func<double, double> expectedPurchases = choice == ChurnModelChoice.BgNbd
            ? t => BgNbdExpected(selection.BgNbd!.Parameters, history, t)
            : t => ParetoNbdExpected(selection.ParetoNbd!.Parameters, history, t);
        var closedForm = Enumerable.Range(1, 12).Sum(k => (expectedPurchases(30 * k) - expectedPurchases(30 * (k - 1))) * expectedSpend / Math.Pow(1.01, k));

        Assert.Equal(modelName, selection.Chosen!.Name);
        Assert.Equal(expectedSpend, Spend.ExpectedSpend(spend), expectedSpend * 1e-12);
        var actual = CustomerLifetimeValue.TwelveMonths(selection.Chosen, history, Spend.ExpectedSpend(spend));
        Assert.True(closedForm > 0);
        Assert.Equal(closedForm, actual, closedForm * 1e-8);
    }

    [Fact]
    public void Value_grows_with_the_expected_spend_and_the_purchases_to_come()
    {
        var model = ChurnModelSelection.Fit(Histories, ChurnModelChoice.Auto).Chosen!;
        var loyal = new CustomerHistory(7, 260, 270);
        var lapsed = new CustomerHistory(7, 30, 270);

        Assert.Equal(2 * CustomerLifetimeValue.TwelveMonths(model, loyal, 20), CustomerLifetimeValue.TwelveMonths(model, loyal, 40), 1e-9);
        Assert.True(CustomerLifetimeValue.TwelveMonths(model, loyal, 20) > CustomerLifetimeValue.TwelveMonths(model, lapsed, 20));
        // Discounting: a year's value is less than a year's expected purchases times the spend.
        Assert.True(CustomerLifetimeValue.TwelveMonths(model, loyal, 20) < model.ExpectedPurchases(loyal, 360) * 20);
    }

    /// <summary>BG/NBD's E[Y(t) | x, tₓ, T] (Fader, Hardie &amp; Lee 2005, eq. 10), with ₂F₁ summed term by term.</summary>
    private static double BgNbdExpected(BgNbdParameters parameters, CustomerHistory h, double t)
    {
        var (r, alpha, a, b) = parameters;
        var x = h.X;
        var hypergeometric = PowerSeries(r + x, b + x, a + b + x - 1, t / (alpha + h.T + t));
        var numerator = (a + b + x - 1) / (a - 1) * (1 - Math.Pow((alpha + h.T) / (alpha + h.T + t), r + x) * hypergeometric);
        var deadOdds = x > 0 ? a / (b + x - 1) * Math.Pow((alpha + h.T) / (alpha + h.Tx), r + x) : 0;
        return numerator / (1 + deadOdds);
    }

    /// <summary>Pareto/NBD's E[Y(t) | x, tₓ, T] (Fader &amp; Hardie 2005, section 6), with P(alive) from the likelihood's integral by quadrature.</summary>
    private static double ParetoNbdExpected(ParetoNbdParameters parameters, CustomerHistory h, double t)
    {
        var (r, alpha, s, beta) = parameters;
        var x = h.X;
        var logAlive = -(r + x) * Math.Log(alpha + h.T) - s * Math.Log(beta + h.T);
        var pAlive = 1 / (1 + Math.Exp(Math.Log(s) + ParetoNbdTests.LogIntegralByQuadrature(parameters, h) - logAlive));
        return pAlive * (r + x) * (beta + h.T) / ((alpha + h.T) * (s - 1)) * (1 - Math.Pow((beta + h.T) / (beta + h.T + t), s - 1));
    }

    private static double PowerSeries(double a, double b, double c, double z)
    {
        double sum = 1, term = 1;
        for (var k = 0; k < 100_000 && Math.Abs(term) > 1e-18 * sum; k++)
        {
            term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
            sum += term;
        }
        return sum;
    }
}
