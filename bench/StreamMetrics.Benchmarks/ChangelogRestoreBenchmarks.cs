using BenchmarkDotNet.Attributes;
using StreamMetrics.Core.State;
using StreamMetrics.Kafka.State;

namespace StreamMetrics.Benchmarks;

/// <summary>
/// What a restore does with each changelog record: 100,000 customer states written in checkpoints of 1,000, each ended by
/// the partition's record, read with a checkpoint cut short undone, against every record counting on its own.
/// </summary>
[MemoryDiagnoser]
public class ChangelogRestoreBenchmarks
{
    private const int Customers = 100_000, PerCheckpoint = 1_000;
    private (string Key, byte[] Value)[] _records = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        var records = new List<(string, byte[])>();
        for (var i = 0; i < Customers; i++)
        {
            records.Add(($"C{random.Next(Customers):D7}", new byte[213]));
            if (i % PerCheckpoint == PerCheckpoint - 1) records.Add((PartitionSnapshot.Key, new byte[120]));
        }
        _records = [.. records];
    }

    [Benchmark(Baseline = true)]
    public int EveryRecordCounts() => Restore(commitKey: null);

    [Benchmark]
    public int UpToTheLastCheckpoint() => Restore(PartitionSnapshot.Key);

    private int Restore(string? commitKey)
    {
        var state = new ChangelogState(commitKey);
        foreach (var (key, value) in _records) state.Apply(key, value);
        state.UndoCutShort();
        return state.Latest.Count;
    }
}
