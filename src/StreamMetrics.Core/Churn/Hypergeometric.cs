namespace StreamMetrics.Core.Churn;

/// <summary>
/// The Gauss hypergeometric function ₂F₁(a, b; c; z) for the arguments BG/NBD needs: positive a, b, c and
/// 0 ≤ z &lt; 1; NaN where the series does not converge in reach (degenerate parameters with z within
/// about 10⁻⁷ of 1), so that a caller can leave the figure out instead of failing.
/// </summary>
public static class Hypergeometric
{
    private const int MaxTerms = 10_000_000;

    /// <remarks>
    /// The power series Σ (a)ₖ(b)ₖ/(c)ₖ · zᵏ/k!. Its terms behave like k^(a+b−c−1) zᵏ, so when a + b &gt; c
    /// and z is near 1 they first grow for a long while; Euler's transformation
    /// ₂F₁(a,b;c;z) = (1−z)^(c−a−b) ₂F₁(c−a, c−b; c; z) turns that exponent negative, and the series then
    /// converges at least as fast as zᵏ. Summing stops once the terms shrink and no longer change the sum.
    /// </remarks>
    public static double F21(double a, double b, double c, double z)
    {
        if (z is < 0 or >= 1 || double.IsNaN(z)) throw new ArgumentOutOfRangeException(nameof(z), z, "BG/NBD needs 0 ≤ z < 1.");
        if (a + b > c) return Math.Pow(1 - z, c - a - b) * Series(c - a, c - b, c, z);
        return Series(a, b, c, z);
    }

    private static double Series(double a, double b, double c, double z)
    {
        double sum = 1, term = 1;
        for (var k = 0; k < MaxTerms; k++)
        {
            var ratio = (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
            term *= ratio;
            var next = sum + term;
            if (Math.Abs(ratio) < 1 && Math.Abs(term) <= 1e-17 * Math.Abs(next)) return next;
            sum = next;
        }
        return double.NaN;
    }
}
