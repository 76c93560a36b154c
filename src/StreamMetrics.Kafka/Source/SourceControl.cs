using System.Collections.Concurrent;

namespace StreamMetrics.Kafka.Source;

/// <summary>
/// The thread-safe side of the source: requests are queued here and carried out by the stage on its
/// own thread, because a Kafka consumer must not be used from two threads at once.
/// </summary>
internal sealed class SourceControl : IKafkaSourceControl
{
    private readonly ConcurrentDictionary<int, long> _committable = new();
    private readonly ConcurrentQueue<TaskCompletionSource> _commitNow = new();
    private volatile int[] _assignment = [];
    private volatile int[] _paused = [];
    private volatile int _buffered;

    public TaskCompletionSource StopRequested { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Stopped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyCollection<int> Assignment => _assignment;

    public int BufferedRecords => _buffered;

    public IReadOnlyCollection<int> Paused => _paused;

    public void Commit(int partition, long nextOffset) =>
        _committable.AddOrUpdate(partition, nextOffset, (_, known) => Math.Max(known, nextOffset));

    public Task CommitNowAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _commitNow.Enqueue(done);
        return Stopped.Task.IsCompleted ? Task.CompletedTask : done.Task;
    }

    public Task StopAsync()
    {
        StopRequested.TrySetResult();
        return Stopped.Task;
    }

    internal void SetAssignment(IEnumerable<int> partitions) => _assignment = [.. partitions.Order()];

    internal void SetBuffers(int buffered, IEnumerable<int> paused)
    {
        _buffered = buffered;
        _paused = [.. paused.Order()];
    }

    internal long? Committable(int partition) => _committable.TryGetValue(partition, out var offset) ? offset : null;

    internal void Forget(int partition) => _committable.TryRemove(partition, out _);

    internal bool TryTakeCommitNow(out TaskCompletionSource done) => _commitNow.TryDequeue(out done!);
}
