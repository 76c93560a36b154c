using MathNet.Numerics;
using StreamMetrics.Core.Churn;

namespace StreamMetrics.Core.Tests.Churn;

public sealed class ParetoNbdTests
{
    /// <summary>The BTYD vignette's CDNOW fit, in weeks (BTYD walkthrough, section on Pareto/NBD).</summary>
    private static readonly ParetoNbdParameters Vignette = new(0.5534, 10.5802, 0.6061, 11.6562);

    public static TheoryData<double, double, double, double, int, double, double> Regions => new()
    {
        // The vignette's fit (α < β) and customers of CDNOW in weeks.
        { 0.5534, 10.5802, 0.6061, 11.6562, 26, 30.86, 31 },
        { 0.5534, 10.5802, 0.6061, 11.6562, 2, 30.43, 38.86 },
        { 0.5534, 10.5802, 0.6061, 11.6562, 0, 0, 38.86 },
        // α > β, and α = β.
        { 0.8, 40, 1.7, 12, 3, 50, 200 },
        { 0.8, 25, 0.4, 25, 3, 50, 200 },
        // s an integer: the series' exponents meet zero.
        { 0.5, 60, 1, 5, 4, 30, 90 },
        { 0.5, 60, 2, 5, 0, 0, 90 },
        // No drop-out seen (β → ∞): z within 10⁻³ of 1 for every customer.
        { 0.6, 50, 0.7, 160_000, 0, 0, 280 },
        { 0.6, 50, 0.7, 160_000, 1, 3, 280 },
        { 0.6, 50, 0.7, 160_000, 12, 150, 280 },
        { 0.6, 50, 0.7, 160_000, 200, 270, 280 },
        // A tiny β against α: z within 10⁻⁶ of 1 at tₓ = 0.
        { 0.6, 2_000, 0.5, 0.001, 0, 0, 200 },
        { 0.6, 2_000, 0.5, 0.001, 150, 120, 200 },
        // Many purchases with w across the switch between the two series.
        { 0.6, 3_000, 0.5, 10, 300, 100, 300 },
        { 0.6, 10, 0.5, 3_000, 300, 20, 300 },
        // lifetimes' overflow case.
        { 10.465, 7.98565181e-03, 3.0516, 2.820, 500, 4, 37 },
        // Drop-out rates that barely differ (s and β both near the fitter's wall): the quadrature's region.
        { 2.69, 9.72, 11_240, 162_753, 0, 0, 30 },
        { 2.69, 9.72, 11_240, 162_753, 5, 2.5, 29.5 },
        { 2.69, 9.72, 11_240, 162_753, 30, 28, 30 },
        { 2.69, 9.72, 11_240, 162_753, 12, 3, 27 },
        { 1.2, 40, 60, 2_000, 8, 40, 365 },
        // Bought on the last day: nothing lies between tₓ and T.
        { 0.6, 10, 0.5, 12, 4, 90, 90 },
    };

    [Theory]
    [MemberData(nameof(Regions))]
    public void The_likelihood_equals_its_integral_form_summed_by_quadrature(double r, double alpha, double s, double beta, int x, double tx, double t)
    {
        var parameters = new ParetoNbdParameters(r, alpha, s, beta);
        var history = new CustomerHistory(x, tx, t);

        var logAlive = -(r + x) * Math.Log(alpha + t) - s * Math.Log(beta + t);
        var logDead = Math.Log(s) + LogIntegralByQuadrature(parameters, history);
        var expected = SpecialFunctions.GammaLn(r + x) - SpecialFunctions.GammaLn(r) + r * Math.Log(alpha) + s * Math.Log(beta)
            + Math.Max(logAlive, logDead) + Math.Log(1 + Math.Exp(-Math.Abs(logAlive - logDead)));

        var actual = ParetoNbd.LogLikelihood(parameters, history);
        Assert.True(double.IsFinite(actual), $"log-likelihood {actual}");
        Assert.Equal(expected, actual, 1e-7);
        var pAlive = ParetoNbd.PAlive(parameters, history);
        Assert.Equal(1 / (1 + Math.Exp(logDead - logAlive)), pAlive, 1e-9);
    }

    [Fact]
    public void The_vignettes_customer_is_alive_with_probability_0_9979_and_expects_25_46_purchases_in_52_weeks()
    {
        var customer = new CustomerHistory(26, 30.86, 31);

        Assert.Equal(0.9979, ParetoNbd.PAlive(Vignette, customer), 0.0001);
        Assert.Equal(25.46, ParetoNbd.ExpectedPurchases(Vignette, customer, 52), 0.01);
    }

    [Theory]
    [InlineData(0.5534, 10.5802, 0.6061, 11.6562, 2, 30.43, 38.86, 39)]
    [InlineData(0.5534, 10.5802, 0.6061, 11.6562, 0, 0, 38.86, 52)]
    [InlineData(0.6, 50, 1, 40, 5, 100, 200, 360)]
    [InlineData(0.6, 50, 0.7, 160_000, 12, 150, 280, 90)]
    public void The_conditional_expectation_is_P_alive_times_the_posterior_rate_times_the_expected_remaining_life(
        double r, double alpha, double s, double beta, int x, double tx, double t, double horizon)
    {
        var parameters = new ParetoNbdParameters(r, alpha, s, beta);
        var history = new CustomerHistory(x, tx, t);

        // Alive at T, λ ~ Gamma(r+x, α+T) and μ ~ Gamma(s, β+T) a posteriori; it buys at λ while it lives, up to t.
        var survival = Integrate(u => Math.Pow((beta + t) / (beta + t + u), s), 0, horizon);
        var expected = ParetoNbd.PAlive(parameters, history) * (r + x) / (alpha + t) * survival;

        Assert.Equal(expected, ParetoNbd.ExpectedPurchases(parameters, history, horizon), expected * 1e-9);
    }

    [Theory]
    [InlineData(0.5534, 10.5802, 0.6061, 11.6562, 2, 30.43, 38.86, 13)]
    [InlineData(0.5534, 10.5802, 0.6061, 11.6562, 0, 0, 38.86, 13)]
    [InlineData(0.6, 50, 1, 40, 5, 100, 200, 90)]
    [InlineData(0.6, 50, 0.7, 160_000, 12, 150, 280, 90)]
    public void No_purchase_in_the_horizon_is_P_dead_plus_P_alive_times_silence_until_it_ends_or_the_customer_dies(
        double r, double alpha, double s, double beta, int x, double tx, double t, double horizon)
    {
        var parameters = new ParetoNbdParameters(r, alpha, s, beta);
        var history = new CustomerHistory(x, tx, t);

        // Alive at T: λ ~ Gamma(r+x, α+T), the remaining life survives u with ((β+T)/(β+T+u))^s; silent until the
        // horizon ends, or until it dies at u, with probability ((α+T)/(α+T+u))^(r+x).
        double Silent(double u) => Math.Pow((alpha + t) / (alpha + t + u), r + x);
        double Survives(double u) => Math.Pow((beta + t) / (beta + t + u), s);
        var silentIfAlive = Survives(horizon) * Silent(horizon) + Integrate(u => s / (beta + t + u) * Survives(u) * Silent(u), 0, horizon);
        var pAlive = ParetoNbd.PAlive(parameters, history);

        Assert.Equal(1 - pAlive + pAlive * silentIfAlive, ParetoNbd.PNoPurchase(parameters, history, horizon), 9);
    }

    [Fact]
    public void A_new_customer_expects_the_mean_rate_times_its_expected_life_within_the_horizon()
    {
        foreach (var parameters in new[] { Vignette, new ParetoNbdParameters(0.6, 50, 1, 40) })
        foreach (var horizon in new[] { 1.0, 39, 78 })
        {
            var survival = Integrate(u => Math.Pow(parameters.Beta / (parameters.Beta + u), parameters.S), 0, horizon);
            var expected = parameters.R / parameters.Alpha * survival;
            Assert.Equal(expected, ParetoNbd.UnconditionalExpected(parameters, horizon), expected * 1e-9);
        }
    }

    [Fact]
    public void A_one_time_buyer_slips_away_as_it_waits()
    {
        var waits = new[] { 10.0, 50, 100, 200, 400 }.Select(t => ParetoNbd.PAlive(Vignette, new CustomerHistory(0, 0, t))).ToList();

        Assert.All(waits, p => Assert.InRange(p, 0, 1));
        Assert.Equal(waits.OrderDescending(), waits);
    }

    [Fact]
    public void The_grouped_likelihood_the_fit_uses_equals_the_sum_over_customers()
    {
        var histories = BgNbdTests.CdnowCalibration(1);
        foreach (var parameters in new[] { new ParetoNbdParameters(0.55, 74, 0.61, 82), ParetoNbdFitter.DefaultStart, new ParetoNbdParameters(1.3, 5, 0.2, 700) })
            Assert.Equal(histories.Sum(h => ParetoNbd.LogLikelihood(parameters, h)), ParetoNbdFitter.LogLikelihood(parameters, histories), 1e-6);
    }

    [Fact]
    public void Fitting_CDNOW_in_weeks_gives_the_published_parameters_and_log_likelihood()
    {
        var fit = ParetoNbdFitter.Fit(BgNbdTests.CdnowCalibration(daysPerUnit: 7), new ParetoNbdParameters(1, 1, 1, 1));

        Assert.Equal(2_357, fit.Customers);
        Assert.Equal(-9594.98, fit.LogLikelihood, 0.1);
        AssertWithin(0.5533, fit.Parameters.R, 0.01);
        AssertWithin(10.578, fit.Parameters.Alpha, 0.01);
        AssertWithin(0.6062, fit.Parameters.S, 0.01);
        AssertWithin(11.669, fit.Parameters.Beta, 0.01);
    }

    [Fact]
    public void Fitting_CDNOW_in_days_scales_alpha_and_beta_by_seven_and_leaves_the_rest()
    {
        var histories = BgNbdTests.CdnowCalibration(daysPerUnit: 1);

        var fit = ParetoNbdFitter.Fit(histories);

        AssertWithin(0.5533, fit.Parameters.R, 0.01);
        AssertWithin(74.04, fit.Parameters.Alpha, 0.01);
        AssertWithin(0.6062, fit.Parameters.S, 0.01);
        AssertWithin(81.68, fit.Parameters.Beta, 0.01);
        // A density in days is a seventh of one in weeks, once per repeat purchase.
        Assert.Equal(-9594.98 - histories.Sum(h => h.X) * Math.Log(7), fit.LogLikelihood, 0.1);
    }

    [Fact]
    public void The_fit_depends_on_the_population_not_on_the_order_of_its_customers()
    {
        var histories = BgNbdTests.CdnowCalibration(daysPerUnit: 1);
        var warm = new ParetoNbdParameters(0.5, 70, 0.6, 80);

        Assert.Equal(ParetoNbdFitter.Fit(histories, warm), ParetoNbdFitter.Fit(Enumerable.Reverse(histories).ToList(), warm));
    }

    [Fact]
    public void A_population_without_enough_repeat_buyers_is_not_fitted()
    {
        Assert.Null(ParetoNbdFitter.TryFit(Enumerable.Range(0, ParetoNbdFitter.MinRepeatBuyers - 1).Select(_ => new CustomerHistory(1, 1, 2))
            .Concat(Enumerable.Repeat(new CustomerHistory(0, 0, 2), 100))));
    }

    private static void AssertWithin(double published, double actual, double share) =>
        Assert.True(Math.Abs(actual - published) <= share * published, $"{actual} is not within {share:P0} of {published}");

    /// <summary>
    /// ln ∫ from tₓ to T of (α+y)^−(r+x) (β+y)^−(s+1) dy by Simpson's rule in v = ln(min(α, β) + y), where the
    /// integrand is smooth even when one of α, β is tiny; summed relative to its largest value so nothing overflows.
    /// </summary>
    internal static double LogIntegralByQuadrature(ParetoNbdParameters p, CustomerHistory h)
    {
        if (h.Tx >= h.T) return double.NegativeInfinity;
        var shift = Math.Min(p.Alpha, p.Beta);
        double LogIntegrand(double v)
        {
            var e = Math.Exp(v);
            return v - (p.R + h.X) * Math.Log(p.Alpha - shift + e) - (p.S + 1) * Math.Log(p.Beta - shift + e);
        }
        const int intervals = 200_000;
        var (from, to) = (Math.Log(shift + h.Tx), Math.Log(shift + h.T));
        var step = (to - from) / intervals;
        var logs = Enumerable.Range(0, intervals + 1).Select(i => LogIntegrand(from + i * step)).ToArray();
        var max = logs.Max();
        var sum = 0.0;
        for (var i = 0; i <= intervals; i++) sum += (i == 0 || i == intervals ? 1 : i % 2 == 1 ? 4 : 2) * Math.Exp(logs[i] - max);
        return max + Math.Log(sum * step / 3);
    }

    private static double Integrate(Func<double, double> f, double from, double to) =>
        MathNet.Numerics.Integration.GaussLegendreRule.Integrate(f, from, to, 1024);
}
