namespace StreamMetrics.Kafka.Source;

/// <summary>Handle on a running Kafka source: commits and a clean stop. Safe to call from any thread.</summary>
public interface IKafkaSourceControl
{
    /// <summary>
    /// Marks <paramref name="nextOffset"/> (the offset of the next record to read, Kafka's convention) as
    /// committable. Lower offsets than one already marked are ignored, and so are partitions no longer
    /// assigned. Sent every commit interval, before a partition is revoked, and on stop.
    /// </summary>
    void Commit(int partition, long nextOffset);

    /// <summary>Sends the pending commits now; completes once the coordinator confirmed them.</summary>
    Task CommitNowAsync();

    /// <summary>The partitions assigned right now.</summary>
    IReadOnlyCollection<int> Assignment { get; }

    /// <summary>Records read from Kafka and not yet emitted downstream.</summary>
    int BufferedRecords { get; }

    /// <summary>The partitions paused right now because their buffer is full.</summary>
    IReadOnlyCollection<int> Paused { get; }

    /// <summary>Commits what is pending, leaves the group and completes the stream.</summary>
    Task StopAsync();
}
