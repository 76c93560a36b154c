using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Replay;
using StreamMetrics.Core.Tests.Replay;

namespace StreamMetrics.Core.Tests.Churn;

public sealed class BgNbdTests
{
    /// <summary>The paper's CDNOW fit, with α converted from weeks to days (4.4136 × 7).</summary>
    private static readonly BgNbdParameters PaperInDays = new(0.2426, 30.8952, 0.7929, 2.4259);

    private static readonly BgNbdParameters PaperInWeeks = new(0.2426, 4.4136, 0.7929, 2.4259);

    /// <summary>CDNOW_sample's calibration period (to 1997-09-30), as the data set's README describes it.</summary>
    internal static List<CustomerHistory> CdnowCalibration(double daysPerUnit)
    {
        using var reader = DataSetFiles.Open("cdnow/CDNOW_sample.txt");
        var end = DateTimeOffset.Parse("1997-09-30T00:00:00Z");
        return ReplayReader.Read(ReplayFormat.Cdnow, reader).Orders
            .Where(o => o.Timestamp <= end)
            .GroupBy(o => o.CustomerId)
            .Select(g =>
            {
                var days = g.Select(o => o.Timestamp).Distinct().Order().ToList();
                return new CustomerHistory(days.Count - 1, (days[^1] - days[0]).TotalDays / daysPerUnit, (end - days[0]).TotalDays / daysPerUnit);
            })
            .ToList();
    }

    [Fact]
    public void The_grouped_likelihood_the_fit_uses_equals_the_sum_over_customers()
    {
        var histories = CdnowCalibration(1);
        foreach (var parameters in new[] { PaperInDays, new BgNbdParameters(1.3, 5, 0.2, 7), BgNbdFitter.DefaultStart })
            Assert.Equal(histories.Sum(h => BgNbd.LogLikelihood(parameters, h)), BgNbdFitter.LogLikelihood(parameters, histories), 1e-6);
    }

    [Fact]
    public void The_papers_customer_is_alive_with_probability_0_7266_and_expects_1_226_purchases_in_39_weeks()
    {
        var customer = new CustomerHistory(2, 213, 272);

        Assert.Equal(0.7266, BgNbd.PAlive(PaperInDays, customer), 4);
        Assert.Equal(1.2260, BgNbd.ExpectedPurchases(PaperInDays, customer, 273), 4);
    }

    [Theory]
    [InlineData(1, 0.0532)]
    [InlineData(3, 0.1506)]
    [InlineData(32, 1.0437)]
    [InlineData(78, 1.8576)]
    public void The_unconditional_expectation_matches_the_paper(double weeks, double expected)
    {
        Assert.Equal(expected, BgNbd.UnconditionalExpected(PaperInWeeks, weeks), 0.001);
    }

    [Theory]
    [InlineData(2, 213, 272)]
    [InlineData(0, 0, 200)]
    [InlineData(10, 50, 300)]
    [InlineData(25, 300, 302)]
    public void No_purchase_in_the_next_90_days_is_the_likelihood_of_the_history_stretched_by_90_days_over_the_historys(int x, double tx, double t)
    {
        var history = new CustomerHistory(x, tx, t);
        var stretched = Math.Exp(BgNbd.LogLikelihood(PaperInDays, history with { T = t + 90 }) - BgNbd.LogLikelihood(PaperInDays, history));

        Assert.Equal(stretched, BgNbd.PNoPurchase(PaperInDays, history, 90), 12);
        Assert.True(BgNbd.PNoPurchase(PaperInDays, history, 90) >= 1 - BgNbd.PAlive(PaperInDays, history));
    }

    [Fact]
    public void Without_drop_out_no_purchase_is_the_posterior_NBD_zero()
    {
        var noDropOut = PaperInDays with { A = 1e-12 };
        var history = new CustomerHistory(4, 100, 250);

        Assert.Equal(Math.Pow((30.8952 + 250) / (30.8952 + 250 + 90), 0.2426 + 4), BgNbd.PNoPurchase(noDropOut, history, 90), 9);
    }

    [Fact]
    public void A_customer_without_repeat_purchases_is_alive_for_BG_NBD()
    {
        Assert.Equal(1, BgNbd.PAlive(PaperInDays, new CustomerHistory(0, 0, 200)));
        Assert.True(BgNbd.ExpectedPurchases(PaperInDays, new CustomerHistory(0, 0, 200), 90) > 0);
    }

    [Fact]
    public void Fitting_CDNOW_in_weeks_gives_the_papers_parameters_and_log_likelihood()
    {
        var fit = BgNbdFitter.Fit(CdnowCalibration(daysPerUnit: 7), new BgNbdParameters(1, 1, 1, 1));

        Assert.Equal(2_357, fit.Customers);
        Assert.Equal(-9582.4, fit.LogLikelihood, 0.1);
        Assert.Equal(0.243, fit.Parameters.R, 0.001);
        Assert.Equal(4.414, fit.Parameters.Alpha, 0.01);
        Assert.Equal(0.793, fit.Parameters.A, 0.002);
        Assert.Equal(2.426, fit.Parameters.B, 0.01);
    }

    [Fact]
    public void Fitting_CDNOW_in_days_scales_alpha_by_seven_and_leaves_the_rest()
    {
        var fit = BgNbdFitter.Fit(CdnowCalibration(daysPerUnit: 1));

        Assert.Equal(0.2426, fit.Parameters.R, 0.2426 * 0.01);
        Assert.Equal(30.8952, fit.Parameters.Alpha, 30.8952 * 0.01);
        Assert.Equal(0.7929, fit.Parameters.A, 0.7929 * 0.01);
        Assert.Equal(2.4259, fit.Parameters.B, 2.4259 * 0.01);
        Assert.Equal(-14363.5, fit.LogLikelihood, 0.5);
    }

    [Theory]
    [InlineData(0.5, 2, 1.5, 0.0)]
    [InlineData(0.5, 2, 1.5, 0.3)]
    [InlineData(2.2, 3.5, 2.7, 0.9)]
    [InlineData(12.2, 14.4, 13.7, 0.999)]
    public void The_hypergeometric_function_matches_its_series_and_Euler_forms(double a, double b, double c, double z)
    {
        // The plain series summed to the end, against which the transformed evaluation must agree.
        var direct = Naive(a, b, c, z);
        Assert.Equal(direct, Hypergeometric.F21(a, b, c, z), Math.Max(1e-9, direct * 1e-9));
    }

    [Fact]
    public void A_degenerate_fit_leaves_the_expectation_unknown_instead_of_failing()
    {
        // A partition's fit on its first few young repeat buyers once came out with α and a near 0: for a customer
        // evaluated on its first day, z is within 10⁻⁷ of 1 and the series is out of reach.
        Assert.True(double.IsNaN(Hypergeometric.F21(-0.9835880932251843, -0.9999938557815731, -0.9816322857921516, 0.9999999317309779)));
        Assert.Null(BgNbdFitter.TryFit(Enumerable.Range(0, BgNbdFitter.MinRepeatBuyers - 1).Select(i => new CustomerHistory(1, 1, 2))
            .Concat(Enumerable.Repeat(new CustomerHistory(0, 0, 2), 100))));
    }

    private static double Naive(double a, double b, double c, double z)
    {
        double sum = 1, term = 1;
        for (var k = 0; k < 5_000_000; k++)
        {
            term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
            sum += term;
            if (k > 10 && term < 1e-18 * sum) break;
        }
        return sum;
    }
}
