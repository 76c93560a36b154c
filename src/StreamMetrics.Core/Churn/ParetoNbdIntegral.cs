using MathNet.Numerics.Integration;

namespace StreamMetrics.Core.Churn;

/// <summary>
/// ln I, where I = ∫ from tₓ to T of (α+y)^−(r+x) (β+y)^−(s+1) dy: the weight of the Pareto/NBD histories in
/// which a customer dropped out, unseen, between its last purchase and T (Fader &amp; Hardie 2005, section 3,
/// where I = A₀/(r+s+x)).
/// </summary>
/// <remarks>
/// Let M be the larger of α and β and m the smaller, d = M − m, a = r+s+x, and b the exponent of the factor with
/// m: s+1 when α ≥ β, r+x when α &lt; β. That choice is the note's branch on α ≥ β; it keeps z = d/(M+y) in [0, 1).
/// <list type="bullet">
/// <item>The tail ∫ from y to ∞ equals (M+y)^−a/a · ₂F₁(a, b; a+1; z), and I is the tail at tₓ less the tail at T,
/// as in the note. The series converges like zᵏ, which is slow only when w = 1 − z = (m+y)/(M+y) is small: a
/// small β or α against the other, as a fit meets in a population that shows no drop-out (β → ∞).</item>
/// <item>There, with w as the variable, I = d^−a ∫ w^−b (1−w)^(a−1) dw between w(tₓ) and w(T); expanding
/// (1−w)^(a−1) binomially gives terms that shrink like wᵏ. They alternate in sign when a &gt; 1 and lose about
/// e^(2aw) of accuracy to cancellation, so this series serves only below w = min(0.1, 2/a), and the ₂F₁ series
/// takes the rest in at most about max(400, 20a) terms.</item>
/// </list>
/// An interval across the switch is split there. Everything is summed in log space, so that neither (M+y)^−a nor
/// d^−a overflows for a customer with hundreds of purchases.
/// <para>
/// Where the ₂F₁ series would need thousands of terms (a large and w small: a fit on a population whose drop-out
/// rates barely differ drives s and β both towards the wall, s in the thousands), the integral is summed by
/// adaptive Gauss–Kronrod quadrature instead, which takes a few hundred evaluations of the integrand whatever a is.
/// </para>
/// </remarks>
internal static class ParetoNbdIntegral
{
    private const int MaxTerms = 10_000_000;
    private const double Negligible = 1e-17;
    // About what the quadrature costs, in series terms.
    private const double QuadratureAboveTerms = 2_000;
    // e³ over a piece: 16 points are then exact to rounding for an integrand of the form e^(−ky).
    private const double EFoldsPerPiece = 3;
    private const int PointsPerPiece = 16;

    /// <summary>ln I; −∞ when tₓ = T, NaN when a series does not converge in reach (parameters far out of range).</summary>
    public static double Log(ParetoNbdParameters p, CustomerHistory h)
    {
        if (h.Tx >= h.T) return double.NegativeInfinity;
        var (r, alpha, s, beta) = p;
        var a = r + s + h.X;
        var (large, small, b) = alpha >= beta ? (alpha, beta, s + 1) : (beta, alpha, r + h.X);
        var d = large - small;
        var switchW = Math.Min(0.1, 2 / a);
        var wTx = (small + h.Tx) / (large + h.Tx);
        var wT = (small + h.T) / (large + h.T);

        // The ₂F₁ series runs from w = max(wTx, switch) to wT; its terms shrink like zᵏ = (1 − w)ᵏ.
        if (wT > switchW && Math.Log(Negligible) / LogSpace.Log1P(-Math.Max(wTx, switchW)) > QuadratureAboveTerms)
            return LogByQuadrature(p, h);
        if (wTx >= switchW) return LogSpace.Subtract(LogTail(a, b, d, large + h.Tx, wTx), LogTail(a, b, d, large + h.T, wT));
        if (wT <= switchW) return -a * Math.Log(d) + LogBinomialSeries(a, b, wTx, wT);
        // w = switchW where M + y = d/(1 − switchW).
        var nearTx = -a * Math.Log(d) + LogBinomialSeries(a, b, wTx, switchW);
        var nearT = LogSpace.Subtract(LogTail(a, b, d, d / (1 - switchW), switchW), LogTail(a, b, d, large + h.T, wT));
        return LogSpace.Add(nearTx, nearT);
    }

    /// <summary>
    /// ln I by Gauss–Legendre quadrature over pieces in each of which the integrand falls by about e³. Its logarithm
    /// is convex and falls from tₓ on (at the rate ln-decay below, which only slows), so every piece holds a smooth,
    /// nearly exponential stretch that 16 points integrate to rounding; the pieces stop once the rest is negligible.
    /// </summary>
    private static double LogByQuadrature(ParetoNbdParameters p, CustomerHistory h)
    {
        var (r, alpha, s, beta) = p;
        var (purchaseExponent, lifetimeExponent) = (r + h.X, s + 1);
        double LogIntegrand(double y) => -purchaseExponent * Math.Log(alpha + y) - lifetimeExponent * Math.Log(beta + y);
        double Decay(double y) => purchaseExponent / (alpha + y) + lifetimeExponent / (beta + y);
        var peak = LogIntegrand(h.Tx);
        double sum = 0;
        for (var from = h.Tx; from < h.T;)
        {
            var to = Math.Min(h.T, from + EFoldsPerPiece / Decay(from));
            sum += GaussLegendreRule.Integrate(y => Math.Exp(LogIntegrand(y) - peak), from, to, PointsPerPiece);
            from = to;
            // The integrand falls, so the rest is at most its value here times the length left.
            if (Math.Exp(LogIntegrand(from) - peak) * (h.T - from) <= Negligible * sum) break;
        }
        return peak + Math.Log(sum);
    }

    /// <summary>ln of the tail (M+y)^−a/a · ₂F₁(a, b; a+1; z), z = d/(M+y); <paramref name="w"/> = 1 − z, computed without cancellation.</summary>
    private static double LogTail(double a, double b, double d, double largePlusY, double w)
    {
        var z = d / largePlusY;
        // For b > 1 the plain series' terms first grow like k^(b−1); Euler's transformation
        // ₂F₁(a, b; c; z) = (1−z)^(c−a−b) ₂F₁(c−a, c−b; c; z) makes them shrink from the start.
        var logF = b > 1
            ? (1 - b) * Math.Log(w) + Math.Log(PositiveSeries(1, a + 1 - b, a + 1, z))
            : Math.Log(PositiveSeries(a, b, a + 1, z));
        return -a * Math.Log(largePlusY) - Math.Log(a) + logF;
    }

    /// <summary>Σ (a)ₖ(b)ₖ / ((c)ₖ k!) zᵏ where every term ratio is positive and below z, as both uses above ensure.</summary>
    private static double PositiveSeries(double a, double b, double c, double z)
    {
        double sum = 1, term = 1;
        for (var k = 0; k < MaxTerms; k++)
        {
            term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
            sum += term;
            if (term <= Negligible * sum) return sum;
        }
        return double.NaN;
    }

    /// <summary>ln ∫ from w₁ to w₂ of w^−b (1−w)^(a−1) dw, for 0 &lt; w₁ &lt; w₂ ≤ min(0.1, 2/a).</summary>
    private static double LogBinomialSeries(double a, double b, double w1, double w2)
    {
        var (log1, log2) = (Math.Log(w1), Math.Log(w2));
        // Term k is cₖ ∫ w^(k−b) dw with cₖ = (1−a)ₖ/k!, summed relative to the first term's magnitude.
        var scale = LogPowerIntegral(1 - b, log1, log2);
        double sum = 0, coefficient = 1;
        for (var k = 0; k < MaxTerms; k++)
        {
            var term = coefficient * Math.Exp(LogPowerIntegral(k + 1 - b, log1, log2) - scale);
            sum += term;
            // Past k + 1 > (a − 1)·w₂ the terms only shrink, so a negligible one ends the sum.
            if ((a - k - 1) * w2 < k + 1 && Math.Abs(term) <= Negligible * Math.Abs(sum))
                return sum > 0 ? scale + Math.Log(sum) : double.NaN;
            coefficient *= (k + 1 - a) / (k + 1);
        }
        return double.NaN;
    }

    /// <summary>ln ∫ from w₁ to w₂ of w^(e−1) dw = ln((w₂ᵉ − w₁ᵉ)/e), from ln w₁ &lt; ln w₂, for any real e.</summary>
    private static double LogPowerIntegral(double e, double log1, double log2)
    {
        var width = log2 - log1;
        if (e > 0) return e * log2 + Math.Log(-LogSpace.ExpM1(-e * width)) - Math.Log(e);
        if (e < 0) return e * log1 + Math.Log(-LogSpace.ExpM1(e * width)) - Math.Log(-e);
        return Math.Log(width);
    }
}
