using Akka.Actor;
using Microsoft.Extensions.Logging;
using StreamMetrics.Core.State;
using StreamMetrics.Kafka.State;
using StreamMetrics.Worker.Actors.Messages;
using StreamMetrics.Worker.Options;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>
/// The partitions this worker owns, each with its <see cref="PartitionTask"/>: from the claim on the changelog and the
/// restore that start it to the suspend or close that ends it.
/// </summary>
/// <remarks>Changed by the order pipeline's routing stage only; <see cref="All"/> is also read by the final fit.</remarks>
public sealed class OwnedPartitions(
    ActorSystem system,
    Func<int, Props> partitionProps,
    PartitionTask.Services services,
    KafkaOptions kafka,
    ILogger log)
{
    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(10);

    private readonly Dictionary<int, PartitionTask> _tasks = new();
    private readonly TaskCompletionSource<Exception> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile PartitionTask[] _all = [];
    private int _generation;

    /// <summary>Every owned partition's task.</summary>
    public IReadOnlyList<PartitionTask> All => _all;

    /// <summary>Completes with the failure of the first task that failed.</summary>
    public Task<Exception> Failed => _failed.Task;

    public bool TryGet(int partition, out PartitionTask task) => _tasks.TryGetValue(partition, out task!);

    /// <summary>Claims each newly assigned partition's changelog, restores it, then starts its task.</summary>
    public async Task AssignAsync(IReadOnlyList<int> partitions)
    {
        // The claims go out together: each waits for the producer's linger and an acknowledgement.
        var claims = partitions.ToDictionary(p => p, services.Changelog.ClaimAsync);
        foreach (var partition in partitions)
        {
            services.Stats.SetPartitions(_tasks.Keys, partitions.Where(p => !_tasks.ContainsKey(p)));
            var actor = system.ActorOf(partitionProps(partition), $"partition-{partition}-{++_generation}");
            var task = PartitionTask.Start(partition, actor, await RestoreAsync(partition, actor, claims[partition]), services);
            _ = task.Completion.ContinueWith(ended => _failed.TrySetResult(ended.Exception!.GetBaseException()), TaskContinuationOptions.OnlyOnFaulted);
            _tasks[partition] = task;
        }
        Changed();
    }

    /// <summary>Partitions about to be revoked: each commits, then its task ends. The returned task completes when all have.</summary>
    public async Task<Task> ReleaseAsync(IEnumerable<int> partitions)
    {
        var releasing = new List<PartitionTask>();
        foreach (var partition in partitions)
            if (_tasks.Remove(partition, out var task)) releasing.Add(task);
        Changed();
        var suspended = new List<Task>(releasing.Count);
        foreach (var task in releasing) suspended.Add(await task.SuspendAsync());
        return Task.WhenAll(suspended);
    }

    /// <summary>Partitions taken away: their tasks close; what they still had on its way is neither written nor committed.</summary>
    public void Forget(IEnumerable<int> partitions)
    {
        foreach (var partition in partitions)
            if (_tasks.Remove(partition, out var task)) task.Close();
        Changed();
    }

    private void Changed()
    {
        _all = [.. _tasks.Values];
        services.Stats.SetPartitions(_tasks.Keys, []);
    }

    /// <summary>Once the claim is in, loads the partition from its changelog; returns the claim's epoch.</summary>
    private async Task<long> RestoreAsync(int partition, IActorRef actor, Task<long> claim)
    {
        var time = services.Time;
        var started = time.GetTimestamp();
        var epoch = await claim;
        var claimed = time.GetElapsedTime(started);
        var content = await Task.Run(() => ChangelogReader.Read(kafka.ClientSettings, kafka.StateTopicName, partition, RestoreTimeout, PartitionSnapshot.Key));
        var read = time.GetElapsedTime(started) - claimed;
        if (content.Restarts > 0)
            log.LogWarning("Partition {Partition}: records left the start of '{Topic}' while it was read; read again from the new start {Restarts} time(s)", partition, kafka.StateTopicName, content.Restarts);
        if (content.StaleRecords > 0)
            log.LogWarning("Partition {Partition}: ignored {Stale} changelog records a former owner wrote after losing the partition", partition, content.StaleRecords);
        if (content.Undo.Count > 0)
        {
            // The customers of a checkpoint cut short are ahead of the partition's record: evaluated again, they would
            // answer with orders from after the period. Undone in the log too, before this owner's first checkpoint commits them.
            log.LogWarning("Partition {Partition}: the last checkpoint was cut short (its writer died, or lost the partition, while writing it); {Records} changelog records written to undo it", partition, content.Undo.Count);
            await services.Changelog.WriteAsync(partition, epoch, content.Undo);
        }
        var restored = await services.Stalls.WaitAsync(actor.Ask<PartitionRestored>(new RestorePartition(content.Latest, time.GetUtcNow())),
            () => $"{actor.Path.Name} did not answer {nameof(RestorePartition)}");
        var elapsed = time.GetElapsedTime(started);
        services.Stats.AddRestored(restored.Customers);
        services.Stats.AddRestoreTime(elapsed);
        // Where a slow restore spent its time: the claim waits for the changelog's producer, the read for the broker.
        log.LogInformation("Partition {Partition} restored {Customers} customers from {Records} changelog records in {Seconds:F2} s (claim {ClaimSeconds:F2} s, read {ReadSeconds:F2} s; {Rate:F0} states/s)",
            partition, restored.Customers, content.RecordsRead, elapsed.TotalSeconds, claimed.TotalSeconds, read.TotalSeconds, content.RecordsRead / Math.Max(elapsed.TotalSeconds, 1e-3));
        return epoch;
    }
}
