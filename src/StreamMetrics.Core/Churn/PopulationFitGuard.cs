using MathNet.Numerics.Optimization;

namespace StreamMetrics.Core.Churn;

/// <summary>What every population fit shares: none before <see cref="BgNbdFitter.MinRepeatBuyers"/> repeat buyers, and none without convergence, so that the caller keeps its last fit.</summary>
internal static class PopulationFitGuard
{
    public static T? TryFit<T>(int repeatBuyers, Func<T> fit) where T : class
    {
        if (repeatBuyers < BgNbdFitter.MinRepeatBuyers) return null;
        try
        {
            return fit();
        }
        catch (MaximumIterationsException)
        {
            return null;
        }
    }
}
