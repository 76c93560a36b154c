using MathNet.Numerics;

namespace StreamMetrics.Core.Churn;

/// <summary>
/// A population as the BG/NBD likelihood wants it for fitting: identical (x, tₓ, T) grouped with their
/// count, ordered by x, and T and tₓ replaced by indexes into their distinct values. Each evaluation then
/// takes the log-gammas once per distinct x and the logarithms once per distinct T and tₓ, leaving two
/// exponentials and a logarithm per history: the same sum as <see cref="BgNbd.LogLikelihood"/>, cheaper.
/// </summary>
internal sealed class GroupedHistories
{
    private readonly int[] _x;
    private readonly int[] _count;
    private readonly int[] _t;
    private readonly int[] _tx;
    private readonly double[] _distinctT;
    private readonly double[] _distinctTx;
    private readonly double[] _logT;
    private readonly double[] _logTx;

    public GroupedHistories(IEnumerable<CustomerHistory> population)
    {
        var groups = population.GroupBy(h => h).Select(g => (History: g.Key, Count: g.Count())).OrderBy(g => g.History.X).ToArray();
        _distinctT = [.. groups.Select(g => g.History.T).Distinct().Order()];
        _distinctTx = [.. groups.Select(g => g.History.Tx).Distinct().Order()];
        _x = [.. groups.Select(g => g.History.X)];
        _count = [.. groups.Select(g => g.Count)];
        _t = [.. groups.Select(g => Array.BinarySearch(_distinctT, g.History.T))];
        _tx = [.. groups.Select(g => Array.BinarySearch(_distinctTx, g.History.Tx))];
        _logT = new double[_distinctT.Length];
        _logTx = new double[_distinctTx.Length];
        Customers = _count.Sum();
    }

    public int Customers { get; }

    /// <summary>The population's log-likelihood; not thread-safe (it reuses its scratch arrays).</summary>
    public double LogLikelihood(BgNbdParameters parameters)
    {
        var (r, alpha, a, b) = parameters;
        for (var i = 0; i < _distinctT.Length; i++) _logT[i] = Math.Log(alpha + _distinctT[i]);
        for (var i = 0; i < _distinctTx.Length; i++) _logTx[i] = Math.Log(alpha + _distinctTx[i]);
        var shared = SpecialFunctions.GammaLn(a + b) - SpecialFunctions.GammaLn(b) - SpecialFunctions.GammaLn(r) + r * Math.Log(alpha);
        var logA = Math.Log(a);
        double sum = 0, byX = 0, deadByX = 0;
        var currentX = -1;
        for (var g = 0; g < _x.Length; g++)
        {
            var x = _x[g];
            if (x != currentX)
            {
                currentX = x;
                byX = shared + SpecialFunctions.GammaLn(r + x) + SpecialFunctions.GammaLn(b + x) - SpecialFunctions.GammaLn(a + b + x);
                deadByX = x == 0 ? 0 : logA - Math.Log(b + x - 1);
            }
            var a3 = -(r + x) * _logT[_t[g]];
            double logLikelihood;
            if (x == 0) logLikelihood = byX + a3;
            else
            {
                var a4 = deadByX - (r + x) * _logTx[_tx[g]];
                var max = Math.Max(a3, a4);
                logLikelihood = byX + max + Math.Log(Math.Exp(a3 - max) + Math.Exp(a4 - max));
            }
            sum += _count[g] * logLikelihood;
        }
        return double.IsFinite(sum) ? sum : double.NegativeInfinity;
    }
}
