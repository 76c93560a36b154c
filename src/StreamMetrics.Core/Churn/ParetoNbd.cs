using MathNet.Numerics;

namespace StreamMetrics.Core.Churn;

/// <summary>
/// The Pareto/NBD model of Schmittlein, Morrison &amp; Colombo (1987), "Counting your customers: who are they
/// and what will they do next?", Management Science 33(1), in the form Fader &amp; Hardie derive in "A note on
/// deriving the Pareto/NBD model and related expressions" (2005): section numbers below are the note's.
/// While alive a customer buys at rate λ (Poisson) and drops out at rate μ (exponential lifetime); λ and μ are
/// gamma distributed across customers. Pure functions of the parameters and a customer's (x, tₓ, T).
/// </summary>
/// <remarks>
/// Every expression here goes through I = ∫ from tₓ to T of (α+y)^−(r+x) (β+y)^−(s+1) dy, the weight of the
/// histories in which the customer dropped out unseen between its last purchase and T. The note writes
/// s·I as A₀ · s/(r+s+x), with A₀ in ₂F₁ terms and a branch on α ≥ β (section 3);
/// <see cref="ParetoNbdIntegral"/> evaluates I in log space.
/// </remarks>
public static class ParetoNbd
{
    /// <summary>One customer's log-likelihood (section 3): Γ(r+x)αʳβˢ/Γ(r) · [(α+T)^−(r+x) (β+T)^−s + s·I].</summary>
    public static double LogLikelihood(ParetoNbdParameters p, CustomerHistory h)
    {
        var (r, alpha, s, beta) = p;
        var x = h.X;
        var shared = SpecialFunctions.GammaLn(r + x) - SpecialFunctions.GammaLn(r) + r * Math.Log(alpha) + s * Math.Log(beta);
        return shared + LogSpace.Add(LogAliveAtT(p, h), Math.Log(s) + ParetoNbdIntegral.Log(p, h));
    }

    /// <summary>P(alive | x, tₓ, T) (section 5). Below 1 even for a customer without repeat purchases, unlike BG/NBD.</summary>
    public static double PAlive(ParetoNbdParameters p, CustomerHistory h)
    {
        // 1 / (1 + s·I / ((α+T)^−(r+x) (β+T)^−s)), as a logistic of the log odds of having dropped out.
        var logDeadOdds = Math.Log(p.S) + ParetoNbdIntegral.Log(p, h) - LogAliveAtT(p, h);
        return 1 / (1 + Math.Exp(logDeadOdds));
    }

    /// <summary>Expected purchases in the next <paramref name="t"/> time units, given the history (section 6).</summary>
    public static double ExpectedPurchases(ParetoNbdParameters p, CustomerHistory h, double t) => ExpectedPurchases(p, h, t, PAlive(p, h));

    /// <summary>Expected purchases within each of <paramref name="horizons"/>, with P(alive) computed once.</summary>
    public static void ExpectedPurchases(ParetoNbdParameters p, CustomerHistory h, ReadOnlySpan<double> horizons, Span<double> expected)
    {
        var pAlive = PAlive(p, h);
        for (var i = 0; i < horizons.Length; i++) expected[i] = ExpectedPurchases(p, h, horizons[i], pAlive);
    }

    private static double ExpectedPurchases(ParetoNbdParameters p, CustomerHistory h, double t, double pAlive)
    {
        var (r, alpha, s, beta) = p;
        var x = h.X;
        // (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive).
        return (r + x) * (beta + h.T) / (alpha + h.T) * LifetimeFactor(s, t / (beta + h.T)) * pAlive;
    }

    /// <summary>
    /// P(X(T, T+t) = 0 | x, tₓ, T): no purchase in the next <paramref name="t"/> time units. The likelihood of
    /// (x, tₓ, T) is the density of the purchase times seen and of no purchase from tₓ to T (section 3), so the
    /// history stretched to T+t with no purchase added, over the history, is that conditional probability: the
    /// x* = 0 term of the conditional distribution of purchases in (T, T+t].
    /// </summary>
    public static double PNoPurchase(ParetoNbdParameters p, CustomerHistory h, double t) =>
        Math.Min(1, Math.Exp(LogLikelihood(p, h with { T = h.T + t }) - LogLikelihood(p, h)));

    /// <summary>Expected purchases of a new customer in its first <paramref name="t"/> time units, E[X(t)] (section 4).</summary>
    public static double UnconditionalExpected(ParetoNbdParameters p, double t) =>
        p.R * p.Beta / p.Alpha * LifetimeFactor(p.S, t / p.Beta);

    /// <summary>
    /// [1 − (1+u)^−(s−1)] / (s−1) for u = t/(β+T): written with expm1 so that it stays exact near s = 1, where
    /// it tends to ln(1+u) and the note's form divides zero by zero.
    /// </summary>
    private static double LifetimeFactor(double s, double u)
    {
        var log = LogSpace.Log1P(u);
        return s == 1 ? log : -LogSpace.ExpM1(-(s - 1) * log) / (s - 1);
    }

    /// <summary>ln of (α+T)^−(r+x) (β+T)^−s: the weight of the histories in which the customer is still alive at T.</summary>
    private static double LogAliveAtT(ParetoNbdParameters p, CustomerHistory h) =>
        -(p.R + h.X) * Math.Log(p.Alpha + h.T) - p.S * Math.Log(p.Beta + h.T);
}
