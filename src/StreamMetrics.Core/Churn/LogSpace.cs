namespace StreamMetrics.Core.Churn;

/// <summary>Sums and differences of numbers held as their logarithms, and the small-argument functions they need.</summary>
internal static class LogSpace
{
    /// <summary>ln(eᵃ + eᵇ).</summary>
    public static double Add(double a, double b)
    {
        if (double.IsNegativeInfinity(a)) return b;
        if (double.IsNegativeInfinity(b)) return a;
        var max = Math.Max(a, b);
        return max + Log1P(Math.Exp(-Math.Abs(a - b)));
    }

    /// <summary>ln(eᵃ − eᵇ); −∞ when b ≥ a (a difference that rounding made zero or negative).</summary>
    public static double Subtract(double a, double b) =>
        b >= a ? double.NegativeInfinity : a + Math.Log(-ExpM1(b - a));

    /// <summary>eˣ − 1, exact for small x too: 2·tanh(x/2) / (1 − tanh(x/2)) has no cancellation there.</summary>
    public static double ExpM1(double x)
    {
        if (Math.Abs(x) >= 1) return Math.Exp(x) - 1;
        var t = Math.Tanh(x / 2);
        return 2 * t / (1 - t);
    }

    /// <summary>ln(1 + x), exact for small x too, as 2·atanh(x / (2 + x)).</summary>
    public static double Log1P(double x) => Math.Abs(x) >= 0.5 ? Math.Log(1 + x) : 2 * Math.Atanh(x / (2 + x));
}
