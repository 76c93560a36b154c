using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StreamMetrics.Kafka.Source;
using StreamMetrics.Worker.Options;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>
/// The end of a bounded run (<c>run --until-caught-up</c>): the end offsets seen at start, how far each partition has
/// been read, and the watch that says when every assigned partition has reached its end.
/// </summary>
public sealed class CatchUpWatcher
{
    // Lookups of the group's committed offsets that may fail in a row before a bounded run gives up on Kafka.
    private const int MaxFailedLookups = 3;
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(500);

    private readonly CatchUpTracker _tracker;
    private readonly KafkaOptions _kafka;
    private readonly ILogger _log;
    private readonly TimeProvider _time;

    private CatchUpWatcher(IReadOnlyDictionary<int, long> endOffsets, KafkaOptions kafka, ILogger log, TimeProvider time)
    {
        _tracker = new CatchUpTracker(endOffsets);
        (_kafka, _log, _time) = (kafka, log, time);
        PartitionsWithData = [.. endOffsets.Where(e => e.Value > 0).Select(e => e.Key)];
    }

    /// <summary>The partitions that hold records: the ones whose owners' population samples the last fit waits for.</summary>
    public IReadOnlyCollection<int> PartitionsWithData { get; }

    /// <summary>Asks Kafka for the orders topic's end offsets: the run ends once it has read up to them.</summary>
    public static async Task<CatchUpWatcher> StartAsync(KafkaOptions kafka, ILogger log, TimeProvider time)
    {
        var ends = await Task.Run(() => KafkaTopicInfo.EndOffsets(kafka.ClientSettings, kafka.Topic, TimeSpan.FromSeconds(30)));
        log.LogInformation("Reading until caught up with end offsets {EndOffsets}", string.Join(", ", ends.OrderBy(e => e.Key).Select(e => $"{e.Key}:{e.Value}")));
        return new CatchUpWatcher(ends, kafka, log, time);
    }

    /// <summary>A batch of <paramref name="partition"/> was read up to <paramref name="nextOffset"/>.</summary>
    public void Reached(int partition, long nextOffset)
    {
        lock (_tracker) _tracker.Reached(partition, nextOffset);
    }

    /// <summary>Partitions revoked or lost: each is caught up again only once read again to its end.</summary>
    public void Forget(IReadOnlyList<int> partitions)
    {
        lock (_tracker) _tracker.Forget(partitions);
    }

    /// <summary>
    /// Completes once every partition assigned to <paramref name="control"/> has been read to its end, or when
    /// <paramref name="stopping"/> fires first; faults when Kafka cannot say where the group stands three times in a row.
    /// </summary>
    /// <returns>The partitions caught up on; empty when stopped before.</returns>
    public async Task<IReadOnlyCollection<int>> WaitAsync(IKafkaSourceControl control, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(CheckInterval, _time);
        var failedLookups = 0;
        IReadOnlyCollection<int> asked = [];
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                var assignment = control.Assignment;
                bool caughtUp;
                lock (_tracker) caughtUp = _tracker.IsCaughtUp(assignment);
                // After a failed lookup the partitions may be lost with Kafka gone: asking again about the last ones decides it.
                if (assignment.Count > 0) asked = assignment;
                if (!caughtUp && (assignment.Count > 0 || failedLookups > 0))
                {
                    // A partition with nothing left to read yields no batch: its committed offset says where it stands.
                    IReadOnlyDictionary<int, long> positions;
                    try
                    {
                        positions = await Task.Run(() => KafkaTopicInfo.CommittedOrStart(_kafka.ClientSettings, _kafka.Topic, _kafka.GroupId, asked, TimeSpan.FromSeconds(10)));
                        failedLookups = 0;
                    }
                    catch (KafkaException e) when (++failedLookups < MaxFailedLookups)
                    {
                        // Right after a pause of the process every broker connection is down until it reconnects: ask again.
                        _log.LogWarning("Could not ask Kafka where the group stands ({Reason}); asking again", e.Error.Reason);
                        continue;
                    }
                    lock (_tracker)
                    {
                        foreach (var (partition, next) in positions) _tracker.Reached(partition, next);
                        caughtUp = _tracker.IsCaughtUp(assignment);
                    }
                }
                if (caughtUp) return assignment;
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped before catching up: the caller drains what was read.
        }
        return [];
    }
}
