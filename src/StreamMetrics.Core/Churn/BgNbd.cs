using MathNet.Numerics;

namespace StreamMetrics.Core.Churn;

/// <summary>
/// The BG/NBD model of Fader, Hardie &amp; Lee (2005), "Counting your customers the easy way: an
/// alternative to the Pareto/NBD model", Marketing Science 24(2): equation numbers below are the paper's.
/// Pure functions of the parameters and a customer's (x, tₓ, T).
/// </summary>
public static class BgNbd
{
    /// <summary>One customer's log-likelihood (eq. 6, written with the A₁…A₄ terms of the paper's appendix).</summary>
    public static double LogLikelihood(BgNbdParameters p, CustomerHistory h)
    {
        var (r, alpha, a, b) = p;
        var x = h.X;
        var a1 = SpecialFunctions.GammaLn(r + x) - SpecialFunctions.GammaLn(r) + r * Math.Log(alpha);
        var a2 = SpecialFunctions.GammaLn(a + b) + SpecialFunctions.GammaLn(b + x) - SpecialFunctions.GammaLn(b) - SpecialFunctions.GammaLn(a + b + x);
        var a3 = -(r + x) * Math.Log(alpha + h.T);
        if (x == 0) return a1 + a2 + a3;
        var a4 = Math.Log(a) - Math.Log(b + x - 1) - (r + x) * Math.Log(alpha + h.Tx);
        var max = Math.Max(a3, a4);
        return a1 + a2 + max + Math.Log(Math.Exp(a3 - max) + Math.Exp(a4 - max));
    }

    /// <summary>P(alive | x, tₓ, T) (eq. 13). Always 1 for a customer without repeat purchases.</summary>
    public static double PAlive(BgNbdParameters p, CustomerHistory h)
    {
        if (h.X == 0) return 1;
        return 1 / (1 + DeadOdds(p, h));
    }

    /// <summary>Expected purchases in the next <paramref name="t"/> time units, given the history (eq. 10).</summary>
    public static double ExpectedPurchases(BgNbdParameters p, CustomerHistory h, double t) => ExpectedPurchases(p, h, t, DeadOddsOrZero(p, h));

    /// <summary>Expected purchases within each of <paramref name="horizons"/>, with what depends on the history alone computed once.</summary>
    public static void ExpectedPurchases(BgNbdParameters p, CustomerHistory h, ReadOnlySpan<double> horizons, Span<double> expected)
    {
        var deadOdds = DeadOddsOrZero(p, h);
        for (var i = 0; i < horizons.Length; i++) expected[i] = ExpectedPurchases(p, h, horizons[i], deadOdds);
    }

    private static double ExpectedPurchases(BgNbdParameters p, CustomerHistory h, double t, double deadOdds)
    {
        var (r, alpha, a, b) = p;
        var x = h.X;
        var z = t / (alpha + h.T + t);
        var hyper = Hypergeometric.F21(r + x, b + x, a + b + x - 1, z);
        var numerator = (a + b + x - 1) / (a - 1) * (1 - Math.Pow((alpha + h.T) / (alpha + h.T + t), r + x) * hyper);
        return numerator / (1 + deadOdds);
    }

    private static double DeadOddsOrZero(BgNbdParameters p, CustomerHistory h) => h.X > 0 ? DeadOdds(p, h) : 0;

    /// <summary>
    /// P(X(T, T+t) = 0 | x, tₓ, T): no purchase in the next <paramref name="t"/> time units. From the model's
    /// assumptions (section 3) and the individual likelihood (eq. 3): a customer who dropped out never buys again;
    /// dropping out happens only at a purchase, so one alive at T stays alive until its next purchase, and its
    /// posterior rate is λ ~ Gamma(r+x, α+T), with which it buys nothing in t with probability ((α+T)/(α+T+t))^(r+x). So
    /// 1 − P(alive) + P(alive)·((α+T)/(α+T+t))^(r+x), written with the dead odds so that it stays exact when
    /// P(alive) is within rounding of 1 (a fit with a → 0, as on Online Retail).
    /// </summary>
    public static double PNoPurchase(BgNbdParameters p, CustomerHistory h, double t)
    {
        var silentIfAlive = Math.Pow((p.Alpha + h.T) / (p.Alpha + h.T + t), p.R + h.X);
        var deadOdds = h.X > 0 ? DeadOdds(p, h) : 0;
        return double.IsPositiveInfinity(deadOdds) ? 1 : (deadOdds + silentIfAlive) / (1 + deadOdds);
    }

    /// <summary>Expected purchases of a new customer in its first <paramref name="t"/> time units, E[X(t)] (eq. 9).</summary>
    public static double UnconditionalExpected(BgNbdParameters p, double t)
    {
        var (r, alpha, a, b) = p;
        var hyper = Hypergeometric.F21(r, b, a + b - 1, t / (alpha + t));
        return (a + b - 1) / (a - 1) * (1 - Math.Pow(alpha / (alpha + t), r) * hyper);
    }

    /// <summary>The odds δ(x&gt;0)·a/(b+x−1)·((α+T)/(α+tₓ))^(r+x) that a repeat buyer has dropped out.</summary>
    private static double DeadOdds(BgNbdParameters p, CustomerHistory h) =>
        p.A / (p.B + h.X - 1) * Math.Pow((p.Alpha + h.T) / (p.Alpha + h.Tx), p.R + h.X);
}
