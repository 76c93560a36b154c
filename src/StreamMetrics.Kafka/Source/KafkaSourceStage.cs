using Akka.Streams;
using Akka.Streams.Stage;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StreamMetrics.Kafka.Logging;

namespace StreamMetrics.Kafka.Source;

/// <summary>
/// An Akka.Streams source over one Confluent.Kafka consumer in a cooperative-sticky group. Every
/// consumer call happens on the stage's own logic, never on two threads at once.
/// </summary>
/// <remarks>
/// Offsets become committable only through <see cref="IKafkaSourceControl.Commit"/>: the stage never
/// commits what it merely read. A full partition buffer pauses that partition alone; draining to half
/// resumes it. Records still buffered for a revoked or lost partition are dropped, because the next
/// owner reads them again from the committed offset.
/// </remarks>
internal sealed class KafkaSourceStage(KafkaSourceSettings settings, ILogger logger)
    : GraphStageWithMaterializedValue<SourceShape<SourceEvent>, IKafkaSourceControl>
{
    private readonly Outlet<SourceEvent> _out = new("kafka.out");

    public override SourceShape<SourceEvent> Shape => new(_out);

    public override ILogicAndMaterializedValue<IKafkaSourceControl> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var control = new SourceControl();
        return new LogicAndMaterializedValue<IKafkaSourceControl>(new Logic(this, control), control);
    }

    private sealed class Logic : TimerGraphStageLogic
    {
        private const string PollTimer = "poll", CommitTimer = "commit";
        private const int MaxRecordsPerPoll = 20_000;

        private readonly KafkaSourceStage _stage;
        private readonly SourceControl _control;
        private readonly PartitionBuffers _buffers;
        private readonly Queue<SourceEvent> _events = new();
        private readonly HashSet<int> _assigned = new();
        private readonly Dictionary<int, long> _committed = new();
        private readonly RecordArena _arena = new();
        private IConsumer<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? _consumer;
        private DirectRecordReader? _reader;

        public Logic(KafkaSourceStage stage, SourceControl control) : base(stage.Shape)
        {
            _stage = stage;
            _control = control;
            _buffers = new PartitionBuffers(stage.Settings.MaxBufferedPerPartition, stage.Settings.MaxBatchSize, stage.Settings.MaxBufferedBytesPerPartition, _arena);
            SetHandler(stage._out, onPull: TryPush, onDownstreamFinish: _ => Stop());
        }

        private ILogger Logger => _stage.Logger;

        public override void PreStart()
        {
            var settings = _stage.Settings;
            _consumer = new ConsumerBuilder<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>(settings.GroupConsumer())
                .SetKeyDeserializer(_arena.Deserializer)
                .SetValueDeserializer(_arena.Deserializer)
                .SetPartitionsAssignedHandler((_, partitions) => OnAssigned(partitions))
                .SetPartitionsRevokedHandler((_, partitions) => OnRevoked(partitions))
                .SetPartitionsLostHandler((_, partitions) => OnLost(partitions))
                .WithOurLog(settings.Kafka.BootstrapServers)
                .Build();
            _reader = new DirectRecordReader(_consumer, _arena);
            if (!_reader.ReadsDirectly)
                Logger.LogWarning("This Confluent.Kafka keeps its client handle out of reach: records are read through Consume, at about 260 more bytes each");
            _consumer.Subscribe(settings.Topic);
            ScheduleRepeatedly(PollTimer, settings.PollInterval);
            ScheduleRepeatedly(CommitTimer, settings.CommitInterval);
        }

        protected override void OnTimer(object timerKey)
        {
            if (_control.StopRequested.Task.IsCompleted)
            {
                Stop();
                return;
            }
            if (timerKey is CommitTimer) CommitPending();
            while (_control.TryTakeCommitNow(out var done))
            {
                CommitPending();
                done.TrySetResult();
            }
            if (timerKey is PollTimer) Poll();
        }

        private void Poll()
        {
            for (var read = 0; read < MaxRecordsPerPoll; read++)
            {
                ConsumedRecord record;
                try
                {
                    // The last read of a poll goes through Consume whatever librdkafka holds, so that what a rebalance handler
                    // threw is raised within a poll of being thrown.
                    if (!_reader!.TryRead(TimeSpan.Zero, out record, direct: read < MaxRecordsPerPoll - 1)) break;
                }
                catch (ConsumeException e) when (!e.Error.IsFatal)
                {
                    Logger.LogWarning("Kafka consume error at {TopicPartitionOffset}: {Reason}", e.ConsumerRecord?.TopicPartitionOffset, e.Error.Reason);
                    continue;
                }
                if (_buffers.Enqueue(record)) _consumer!.Pause([new TopicPartition(_stage.Settings.Topic, record.Partition)]);
            }
            TryPush();
        }

        private void TryPush()
        {
            PushNext();
            _control.SetBuffers(_buffers.Total, _buffers.Paused);
        }

        private void PushNext()
        {
            if (!IsAvailable(_stage._out)) return;
            if (_events.TryDequeue(out var assignmentChange))
            {
                Push(_stage._out, assignmentChange);
                return;
            }
            if (!_buffers.TryTakeBatch(out var partition, out var records, out var resume)) return;
            if (resume) Resume(partition);
            Push(_stage._out, new RecordBatch(_stage.Settings.Topic, partition, records) { Arena = _arena });
        }

        /// <remarks>
        /// librdkafka resumes a partition without waking the thread that fetches it, which sleeps up to a second when every
        /// partition it fetches was paused: with the buffers draining in step, they are paused together, and the worker
        /// sat idle most of each second (measured by the bench). A seek to where the partition stands starts its fetch,
        /// and that wakes the thread. Nothing is skipped or read twice: the seek is to the offset after the last record
        /// taken from the partition, where librdkafka would resume anyway.
        /// </remarks>
        private void Resume(int partition)
        {
            _consumer!.Resume([new TopicPartition(_stage.Settings.Topic, partition)]);
            if (_buffers.NextOffset(partition) is not { } next) return;
            try
            {
                _consumer.Seek(new TopicPartitionOffset(_stage.Settings.Topic, partition, next));
            }
            catch (KafkaException e)
            {
                // Only the wake-up is lost: the partition is resumed, and librdkafka fetches it within a second.
                Logger.LogDebug("Seek of resumed partition {Partition} to {Offset} refused: {Reason}", partition, next, e.Error.Reason);
            }
        }

        private void OnAssigned(List<TopicPartition> partitions)
        {
            var numbers = partitions.Select(p => p.Partition.Value).Order().ToList();
            foreach (var partition in numbers)
            {
                _assigned.Add(partition);
                _buffers.Add(partition);
            }
            _control.SetAssignment(_assigned);
            if (numbers.Count > 0) _events.Enqueue(new PartitionsAssigned(numbers));
        }

        private void OnRevoked(List<TopicPartitionOffset> partitions)
        {
            var numbers = partitions.Select(p => p.Partition.Value).Order().ToList();
            // While this waits, the stage pushes nothing, so no record of the partitions goes out after their checkpoint.
            WaitForCheckpoint(numbers);
            // Cooperative rebalancing: commit what is committable now, while the partitions are still ours.
            Commit(numbers);
            Release(numbers, lost: false);
        }

        /// <summary>
        /// Blocks this stage (it runs on its own, so the rest of the stream goes on) until downstream has
        /// checkpointed the partitions; what it could not finish in time is read again by the next owner.
        /// </summary>
        private void WaitForCheckpoint(List<int> partitions)
        {
            var settings = _stage.Settings;
            if (settings.BeforeRevoke is null || partitions.Count == 0 || _control.StopRequested.Task.IsCompleted) return;
            try
            {
                if (!settings.BeforeRevoke(partitions).Wait(settings.RevokeTimeout))
                    Logger.LogWarning("Partitions {Partitions} were not checkpointed within Kafka:RevokeTimeout {Timeout}; the next owner reads again from the last commit",
                        string.Join(",", partitions), settings.RevokeTimeout);
            }
            catch (AggregateException e)
            {
                // The reason only: after a stream failure it carries that failure's whole trace, which the run reports in one line of its own.
                Logger.LogWarning("Checkpoint of revoked partitions {Partitions} failed; the next owner reads again from the last commit: {Reason}",
                    string.Join(",", partitions), e.InnerException?.Message);
            }
        }

        private void OnLost(List<TopicPartitionOffset> partitions) =>
            Release(partitions.Select(p => p.Partition.Value).ToList(), lost: true);

        private void Release(List<int> partitions, bool lost)
        {
            var dropped = 0;
            foreach (var partition in partitions)
            {
                _assigned.Remove(partition);
                _committed.Remove(partition);
                _control.Forget(partition);
                dropped += _buffers.Remove(partition);
            }
            // librdkafka keeps a partition paused across losing it: were it given back, nothing would fetch it again.
            _consumer!.Resume([.. partitions.Select(p => new TopicPartition(_stage.Settings.Topic, p))]);
            _control.SetAssignment(_assigned);
            if (partitions.Count == 0) return;
            Logger.LogInformation("Partitions {Partitions} {How}; {Dropped} buffered records dropped for the next owner to read",
                string.Join(",", partitions.Order()), lost ? "lost" : "revoked", dropped);
            _events.Enqueue(new PartitionsRevoked([.. partitions.Order()], lost));
        }

        private void CommitPending() => Commit(_assigned);

        private void Commit(IEnumerable<int> partitions)
        {
            var offsets = new List<TopicPartitionOffset>();
            foreach (var partition in partitions)
            {
                if (_control.Committable(partition) is not { } next) continue;
                if (_committed.TryGetValue(partition, out var done) && done >= next) continue;
                offsets.Add(new TopicPartitionOffset(_stage.Settings.Topic, partition, next));
            }
            if (offsets.Count == 0 || _consumer is null) return;
            try
            {
                _consumer.Commit(offsets);
                foreach (var offset in offsets) _committed[offset.Partition.Value] = offset.Offset.Value;
                Logger.LogDebug("Committed {Offsets}", string.Join(", ", offsets.Select(o => $"{o.Partition.Value}:{o.Offset.Value}")));
            }
            catch (KafkaException e)
            {
                // Nothing is lost: the offsets stay pending and go with the next commit.
                Logger.LogWarning("Commit of {Offsets} failed, will retry: {Reason}", string.Join(", ", offsets.Select(o => $"{o.Partition.Value}:{o.Offset.Value}")), e.Error.Reason);
            }
        }

        private void Stop()
        {
            CloseConsumer();
            CompleteStage();
        }

        private void CloseConsumer()
        {
            if (_consumer is null) return;
            try
            {
                CommitPending();
                LeaveAssignment();
                _consumer.Close(); // leaves the group, so the others take over at once
            }
            catch (KafkaException e)
            {
                Logger.LogWarning("Closing the Kafka consumer: {Reason}", e.Error.Reason);
            }
            _consumer.Dispose();
            _consumer = null;
            _reader = null;
            while (_control.TryTakeCommitNow(out var done)) done.TrySetResult();
        }

        /// <summary>
        /// Unsubscribes and lets the revocation finish before closing: librdkafka can hang in Close when an
        /// incremental assignment arrives while it closes (librdkafka issue 4527); the suggested workaround
        /// is to unsubscribe and wait for an empty assignment first.
        /// </summary>
        private void LeaveAssignment()
        {
            _consumer!.Unsubscribe();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (_consumer.Assignment.Count > 0 && DateTime.UtcNow < deadline)
            {
                try
                {
                    _consumer.Consume(TimeSpan.FromMilliseconds(100)); // serves the revocation; what it returns is for the next owner
                }
                catch (ConsumeException e)
                {
                    Logger.LogDebug("While leaving: {Reason}", e.Error.Reason);
                }
            }
        }

        public override void PostStop()
        {
            CloseConsumer();
            _control.Stopped.TrySetResult();
        }
    }

    private KafkaSourceSettings Settings => settings;

    private ILogger Logger => logger;
}
