using Microsoft.Extensions.Logging;
using StreamMetrics.Core.Customers;
using StreamMetrics.Kafka.Producers;
using StreamMetrics.Worker.Actors.Messages;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>
/// Assembles the population a worker fits its models on: bounded samples of the partitions it owns,
/// published for the other workers, plus the newest samples they published for theirs.
/// </summary>
public sealed class PopulationGatherer(PopulationExchange exchange, ILogger log, TimeProvider time)
{
    private static readonly TimeSpan FinalSampleWait = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Publishes a bounded sample of each owned partition and returns the union with the newest samples
    /// other workers published for the partitions they own: the population the models are fitted on.
    /// </summary>
    public async Task<IReadOnlyList<CustomerSummary>> GatherAsync(IReadOnlyList<PartitionSummaries> owned, IReadOnlyCollection<int> partitionsWithData, bool final)
    {
        var union = new List<CustomerSummary>(owned.Sum(p => Math.Min(p.Customers.Count, PopulationSample.MaxCustomers)));
        var publishing = new List<Task>(owned.Count);
        foreach (var partition in owned)
        {
            var sample = PopulationSample.Select(partition.Customers);
            union.AddRange(sample);
            // A partition that has read nothing yet (newly assigned) would only wipe out the sample its last owner shared.
            if (partition.Watermark is { } at && sample.Count > 0) publishing.Add(exchange.PublishAsync(partition.Partition, PopulationSample.Encode(sample, at)));
        }
        await Task.WhenAll(publishing);

        // The last fit of a bounded run waits (boundedly) for the other workers' samples taken at the same watermark.
        var target = owned.Max(p => p.Watermark);
        var deadline = time.GetUtcNow() + (final ? FinalSampleWait : TimeSpan.Zero);
        Dictionary<int, (DateTimeOffset Watermark, IReadOnlyList<CustomerSummary> Sample)> others;
        while (true)
        {
            others = DecodeOthers(owned.Where(p => p.Customers.Count > 0).Select(p => p.Partition).ToHashSet());
            var behind = partitionsWithData
                .Where(p => !owned.Any(o => o.Partition == p && o.Customers.Count > 0))
                .Where(p => !others.TryGetValue(p, out var other) || other.Watermark < target)
                .ToList();
            if (behind.Count == 0 || time.GetUtcNow() >= deadline)
            {
                if (final && behind.Count > 0)
                    log.LogWarning("Fitting with older samples of partitions {Partitions}: their owners did not publish newer ones in time", string.Join(",", behind));
                break;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), time);
        }
        foreach (var other in others.Values) union.AddRange(other.Sample);
        return union;
    }

    private Dictionary<int, (DateTimeOffset Watermark, IReadOnlyList<CustomerSummary> Sample)> DecodeOthers(HashSet<int> ownedWithCustomers)
    {
        var others = new Dictionary<int, (DateTimeOffset, IReadOnlyList<CustomerSummary>)>();
        foreach (var (partition, bytes) in exchange.Latest())
        {
            if (ownedWithCustomers.Contains(partition)) continue;
            try
            {
                others[partition] = PopulationSample.Decode(bytes);
            }
            catch (InvalidDataException e)
            {
                log.LogWarning("Population sample of partition {Partition} is unreadable and left out: {Reason}", partition, e.Message);
            }
        }
        return others;
    }
}
