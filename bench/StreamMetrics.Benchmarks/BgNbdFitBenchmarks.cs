using BenchmarkDotNet.Attributes;
using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Simulation;

namespace StreamMetrics.Benchmarks;

/// <summary>Fitting BG/NBD on 100,000 simulated customers (days), from the default start and warm-started from the answer.</summary>
[MemoryDiagnoser]
public class BgNbdFitBenchmarks
{
    private CustomerHistory[] _population = [];
    private BgNbdParameters _fitted = BgNbdFitter.DefaultStart;

    [GlobalSetup]
    public void Setup()
    {
        var simulator = new PopulationSimulator(100_000, 365, seed: 3);
        var end = simulator.End;
        _population = [.. simulator.Orders()
            .GroupBy(o => o.CustomerId)
            .Select(customer =>
            {
                var days = customer.Select(o => (int)Math.Floor((o.Timestamp - DateTimeOffset.UnixEpoch).TotalDays)).Distinct().Order().ToList();
                var endDay = (end - DateTimeOffset.UnixEpoch).TotalDays;
                return new CustomerHistory(days.Count - 1, days[^1] - days[0], endDay - days[0]);
            })];
        _fitted = BgNbdFitter.Fit(_population).Parameters;
    }

    [Benchmark(Baseline = true)]
    public double ColdFit() => BgNbdFitter.Fit(_population).LogLikelihood;

    [Benchmark]
    public double WarmFit() => BgNbdFitter.Fit(_population, _fitted).LogLikelihood;
}
