using System.Collections.Concurrent;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using StreamMetrics.Kafka.State;
using StreamMetrics.Worker.Actors.Messages;
using StreamMetrics.Worker.Options;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>
/// The partitions this worker owns: each one's actor and the epoch of its claim on the changelog, from the claim and
/// restore that start it to the stop that ends it; and the asking of those actors, which fails loudly (through
/// <see cref="StallGuard"/>) when one stops answering.
/// </summary>
/// <remarks>
/// Changed by the order pipeline's sending stage only. <see cref="All"/> and the epochs are also read by later stages
/// (the final fit, the commit), so they are kept in a volatile array and a concurrent dictionary.
/// </remarks>
public sealed class OwnedPartitions(
    ActorSystem system,
    Func<int, Props> partitionProps,
    ChangelogWriter changelog,
    KafkaOptions kafka,
    PipelineStats stats,
    ILogger log,
    TimeProvider time,
    TimeSpan stallTimeout)
{
    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(10);

    private readonly Dictionary<int, IActorRef> _actors = new();
    // The epoch of each partition owned now; a checkpoint of an earlier epoch is neither written nor committed.
    private readonly ConcurrentDictionary<int, long> _epochs = new();
    private readonly StallGuard _stalls = new(stallTimeout, time);
    private volatile IActorRef[] _all = [];
    private int _generation;

    /// <summary>Every owned partition's actor.</summary>
    public IReadOnlyList<IActorRef> All => _all;

    public bool TryGet(int partition, out IActorRef actor) => _actors.TryGetValue(partition, out actor!);

    /// <summary>Claims each newly assigned partition's changelog, then restores it before its first record is applied.</summary>
    public async Task AssignAsync(IReadOnlyList<int> partitions)
    {
        // The claims go out together: each waits for the producer's linger and an acknowledgement.
        var claims = partitions.ToDictionary(p => p, changelog.ClaimAsync);
        foreach (var partition in partitions)
        {
            stats.SetPartitions(_actors.Keys, partitions.Where(p => !_actors.ContainsKey(p)));
            var actor = system.ActorOf(partitionProps(partition), $"partition-{partition}-{++_generation}");
            _epochs[partition] = await RestoreAsync(partition, actor, claims[partition]);
            _actors[partition] = actor;
        }
        Changed();
    }

    /// <summary>
    /// Asks the partitions to take their last checkpoint, then stops them; their epochs stay, so that the checkpoint
    /// commits. Records of theirs still on their way are not applied: the next owner reads them after it.
    /// </summary>
    public Task<IReadOnlyList<PartitionStep>> ReleaseAsync(IEnumerable<int> partitions)
    {
        var releasing = partitions.Where(_actors.ContainsKey).ToList();
        var checkpoints = AskAllAsync(releasing.Select(p => _actors[p]), new Checkpoint());
        foreach (var partition in releasing)
            if (_actors.Remove(partition, out var actor)) actor.Tell(new StopPartition());
        Changed();
        return checkpoints;
    }

    /// <summary>Stops partitions taken away; what they still had on its way is neither written nor committed.</summary>
    public void Forget(IEnumerable<int> partitions)
    {
        foreach (var partition in partitions)
        {
            _epochs.TryRemove(partition, out _);
            if (_actors.Remove(partition, out var actor)) actor.Tell(new StopPartition());
        }
        Changed();
    }

    /// <summary>
    /// Whether a checkpoint's partition is still this worker's under the epoch it was taken in. After a partition is lost
    /// (a pause past the session timeout), or lost and assigned again, its earlier checkpoints would commit offsets
    /// past states the new owner never restored.
    /// </summary>
    public bool OwnsStill(PendingCommit pending) =>
        pending.States.Count == 0 && pending.Offset is null || _epochs.TryGetValue(pending.Partition, out var epoch) && epoch == pending.OwnerEpoch;

    public Task<IReadOnlyList<PartitionStep>> AskAllAsync(object command) => AskAllAsync(_all, command);

    public Task<PartitionOutput> AskAsync(IActorRef actor, object command) => AskAsync<PartitionOutput>(actor, command);

    /// <summary>
    /// A partition's answer. A partition sent a command is one still owned (released ones get nothing more), so no
    /// answer means it stalled: the stream fails rather than go on without the command's output and commit past it.
    /// </summary>
    public Task<T> AskAsync<T>(IActorRef actor, object command) =>
        _stalls.WaitAsync(actor.Ask<T>(command), () => $"{actor.Path.Name} did not answer {command.GetType().Name}");

    private async Task<IReadOnlyList<PartitionStep>> AskAllAsync(IEnumerable<IActorRef> partitions, object command)
    {
        var outputs = await Task.WhenAll(partitions.Select(actor => AskAsync(actor, command)));
        return [.. outputs.Select(o => new PartitionStep(o, []))];
    }

    private void Changed()
    {
        _all = [.. _actors.Values];
        stats.SetPartitions(_actors.Keys, []);
    }

    /// <summary>Once the claim is in, loads the partition from its changelog; returns the claim's epoch.</summary>
    private async Task<long> RestoreAsync(int partition, IActorRef actor, Task<long> claim)
    {
        var started = time.GetTimestamp();
        var epoch = await claim;
        var content = await Task.Run(() => ChangelogReader.Read(kafka.ClientSettings, kafka.StateTopicName, partition, RestoreTimeout));
        if (content.StaleRecords > 0)
            log.LogWarning("Partition {Partition}: ignored {Stale} changelog records a former owner wrote after losing the partition", partition, content.StaleRecords);
        var restored = await AskAsync<PartitionRestored>(actor, new RestorePartition(content.Latest, time.GetUtcNow(), epoch));
        var elapsed = time.GetElapsedTime(started);
        stats.AddRestored(restored.Customers);
        stats.AddRestoreTime(elapsed);
        log.LogInformation("Partition {Partition} restored {Customers} customers from {Records} changelog records in {Seconds:F2} s ({Rate:F0} states/s)",
            partition, restored.Customers, content.RecordsRead, elapsed.TotalSeconds, content.RecordsRead / Math.Max(elapsed.TotalSeconds, 1e-3));
        return epoch;
    }
}
