using Confluent.Kafka;
using Prometheus;
using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Scaling;
using StreamMetrics.Core.Segments;
using StreamMetrics.Influx.Writing;
using StreamMetrics.Kafka;
using StreamMetrics.Kafka.Lag;
using StreamMetrics.Worker.Options;
using StreamMetrics.Worker.Pipeline;

namespace StreamMetrics.Worker.Observability;

/// <summary>
/// The worker's Prometheus series (names are a contract, README "Operations"), filled from the
/// pipeline's and the InfluxDB writer's counters, and from the group's lag read at each scrape.
/// </summary>
/// <remarks>
/// Lag is reported for the partitions this worker owns, so that sums over workers count each partition
/// once; the recommendation is the group's and the same on every worker (take the max). A worker's
/// throughput for it is the highest rate at which this worker applied orders while the group had a backlog.
/// </remarks>
public sealed class WorkerMetrics
{
    private readonly WorkerSettings _settings;
    private readonly PipelineStats _stats;
    private readonly InfluxWriterCounters? _influx;
    private readonly TimeProvider _time;
    private readonly Lock _lagReading = new();
    private Task _lagRead = Task.CompletedTask;
    private DateTimeOffset _lagReadStarted = DateTimeOffset.MinValue;
    private readonly Counter _orders, _influxPoints, _influxRetries, _rebalances, _restored, _forgotten, _lagReadErrors;
    private readonly Gauge _lag, _lagSeconds, _influxBuffered, _customers, _churnStates, _replicas, _heapAfterFullCollection;
    private HashSet<int> _reportedPartitions = [];
    private (DateTimeOffset At, long Applied, long End)? _last;
    private double? _busiestRate;

    public WorkerMetrics(WorkerSettings settings, PipelineStats stats, InfluxWriterCounters? influx, TimeProvider time)
    {
        (_settings, _stats, _influx, _time) = (settings, stats, influx, time);
        var factory = Metrics.WithCustomRegistry(Registry);
        _orders = factory.CreateCounter("streammetrics_orders_total", "Orders read, by partition and outcome (applied, dead_lettered, duplicate, late)", "partition", "outcome");
        _lag = factory.CreateGauge("streammetrics_consumer_lag", "End offset minus the group's committed offset, for the partitions this worker owns", "partition");
        _lagSeconds = factory.CreateGauge("streammetrics_consumer_lag_seconds", "Age, by Kafka record timestamp, of the oldest record not yet committed; 0 when caught up", "partition");
        _influxPoints = factory.CreateCounter("streammetrics_influx_points_total", "Points InfluxDB acknowledged or rejected", "outcome");
        _influxBuffered = factory.CreateGauge("streammetrics_influx_buffered_points", "Points submitted and not yet acknowledged or rejected");
        _influxRetries = factory.CreateCounter("streammetrics_influx_retries_total", "InfluxDB write attempts after a failed one");
        var writes = factory.CreateHistogram("streammetrics_influx_write_seconds", "Duration of InfluxDB write requests",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
        _customers = factory.CreateGauge("streammetrics_customers", "Customers of the partitions this worker owns, live (an actor) or passivated (snapshot bytes)", "state");
        _churnStates = factory.CreateGauge("streammetrics_churn_customers", "Customers of the partitions this worker owns in each churn state, as of the last period they all closed", "state");
        _rebalances = factory.CreateCounter("streammetrics_rebalances_total", "Partition assignments this worker received");
        var checkpoints = factory.CreateHistogram("streammetrics_checkpoint_seconds", "From a checkpoint's command to its offset's commit",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.005, 2, 14) });
        _restored = factory.CreateCounter("streammetrics_restore_states_total", "Customer states restored from the changelog");
        _forgotten = factory.CreateCounter("streammetrics_customers_forgotten_total", "Customers removed, with a tombstone in the changelog, after Metrics:CustomerRetention without an order");
        _lagReadErrors = factory.CreateCounter("streammetrics_lag_read_errors_total", "Reads of the group's lag from Kafka that failed (lag and replicas keep their last values)");
        _replicas = factory.CreateGauge("streammetrics_recommended_replicas", "Workers the group needs: keep up and drain the lag within Scaling:CatchUpTarget (README, Scaling)");
        _heapAfterFullCollection = factory.CreateGauge("streammetrics_managed_heap_after_full_collection_bytes",
            "Managed heap left by the latest full (gen 2) collection: what the worker holds, apart from garbage not yet collected");
        // process_working_set_bytes (RSS), dotnet_total_memory_bytes, collection counts: what operations watch beside RSS.
        DotNetStats.Register(Registry);
        stats.CheckpointTaken = took => checkpoints.Observe(took.TotalSeconds);
        if (influx is not null) influx.WriteTimed = took => writes.Observe(took.TotalSeconds);
        Registry.AddBeforeCollectCallback(UpdateAsync);
    }

    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    /// <summary>The group's lag as last read, for readiness and the live view.</summary>
    public GroupLag? LastLag { get; private set; }

    public ScalingRecommendation? LastRecommendation { get; private set; }

    /// <summary>Why the last attempt to read the group's lag failed; null when it succeeded.</summary>
    public string? LagProblem { get; private set; }

    /// <summary>How long reading the group's lag may take before it counts as failed.</summary>
    internal TimeSpan LagTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How old the last lag read may be before another: rates between reads this far apart are steady, so
    /// neither a page polling every two seconds nor a fast scraper moves the recommendation.
    /// </summary>
    internal static TimeSpan LagRefreshInterval { get; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a scrape waits for a lag read; under Prometheus's default scrape timeout of 10 s.</summary>
    internal static TimeSpan ScrapeWait { get; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Brings every series up to date; called before each scrape, by the <c>pipeline</c> reporter and by the
    /// live view. The group's lag is read again when the last read is older than <see cref="LagRefreshInterval"/>,
    /// and waited for at most <see cref="ScrapeWait"/>: a scrape answers in time even while Kafka does not.
    /// </summary>
    public async Task UpdateAsync(CancellationToken cancellation)
    {
        UpdateCounters();
        try
        {
            await RefreshLag().WaitAsync(ScrapeWait, _time, cancellation);
        }
        catch (TimeoutException)
        {
            // still reading: the lag series keep their last values until the read ends
        }
    }

    /// <summary>The heap size after the latest gen 2 collection, background or blocking; 0 before the first.</summary>
    private static long HeapAfterFullCollection()
    {
        var background = GC.GetGCMemoryInfo(GCKind.Background);
        var blocking = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        return (background.Index >= blocking.Index ? background : blocking).HeapSizeBytes;
    }

    private void UpdateCounters()
    {
        _heapAfterFullCollection.Set(HeapAfterFullCollection());
        foreach (var ((partition, outcome), count) in _stats.OrdersByPartition)
            _orders.WithLabels(Label(partition), outcome).IncTo(count);
        _customers.WithLabels("live").Set(_stats.Customers - _stats.PassivatedCustomers);
        _customers.WithLabels("passivated").Set(_stats.PassivatedCustomers);
        _rebalances.IncTo(_stats.Rebalances);
        _restored.IncTo(_stats.StatesRestored);
        _forgotten.IncTo(_stats.ForgottenCustomers);
        var churn = _stats.Churn.Latest(_stats.AssignedPartitions);
        foreach (var state in ChurnOverview.States)
        {
            if (churn is null) _churnStates.RemoveLabelled(CustomerTracker.Name(state));
            else _churnStates.WithLabels(CustomerTracker.Name(state)).Set(churn.CustomersByState[state]);
        }
        if (_influx is not null)
        {
            _influxPoints.WithLabels("acked").IncTo(_influx.Acked);
            _influxPoints.WithLabels("rejected").IncTo(_influx.Rejected);
            _influxBuffered.Set(_influx.Buffered);
            _influxRetries.IncTo(_influx.Retries);
        }
    }

    /// <summary>
    /// Reads the lag anew, however recent the last read, once a read in progress has ended: the worker's last
    /// report, after its final commit, must not show the lag from before it.
    /// </summary>
    public async Task UpdateNowAsync(CancellationToken cancellation)
    {
        UpdateCounters();
        await RefreshLag().WaitAsync(LagTimeout, _time, cancellation);
        await RefreshLag(force: true).WaitAsync(LagTimeout, _time, cancellation);
    }

    /// <summary>The lag read in progress, or a new one when the last is old enough (or <paramref name="force"/>); one at a time.</summary>
    private Task RefreshLag(bool force = false)
    {
        lock (_lagReading)
        {
            var now = _time.GetUtcNow();
            if (_lagRead.IsCompleted && (force || now - _lagReadStarted >= LagRefreshInterval))
            {
                _lagReadStarted = now;
                // The reader blocks on librdkafka calls: off the caller's thread.
                _lagRead = Task.Run(ReadLagAsync);
            }
            return _lagRead;
        }
    }

    private async Task ReadLagAsync()
    {
        try
        {
            await UpdateLagAsync();
            LagProblem = null;
        }
        catch (KafkaException e)
        {
            // Every other series still reaches Prometheus; lag and replicas keep their last values.
            _lagReadErrors.Inc();
            LagProblem = $"could not read the group's lag from Kafka: {e.Message}";
        }
    }

    private async Task UpdateLagAsync()
    {
        var kafka = _settings.Kafka;
        var lag = await GroupLagReader.ReadAsync(kafka.ClientSettings, kafka.Topic, kafka.GroupId, _time, LagTimeout);
        LastLag = lag;
        var owned = _stats.AssignedPartitions.ToHashSet();
        foreach (var partition in lag.Partitions.Where(p => owned.Contains(p.Partition)))
        {
            _lag.WithLabels(Label(partition.Partition)).Set(partition.Lag);
            _lagSeconds.WithLabels(Label(partition.Partition)).Set(partition.LagSeconds);
        }
        foreach (var gone in _reportedPartitions.Except(owned))
        {
            _lag.RemoveLabelled(Label(gone));
            _lagSeconds.RemoveLabelled(Label(gone));
        }
        _reportedPartitions = owned;

        double input = 0;
        if (_last is { } last && lag.At > last.At)
        {
            var seconds = (lag.At - last.At).TotalSeconds;
            input = (lag.TotalEnd - last.End) / seconds;
            var applied = (_stats.OrdersApplied - last.Applied) / seconds;
            if (lag.TotalLag > 0 && applied > 0) _busiestRate = Math.Max(_busiestRate ?? 0, applied);
        }
        _last = (lag.At, _stats.OrdersApplied, lag.TotalEnd);
        LastRecommendation = ScalingAdvice.Recommend(new GroupLoad(lag.Partitions.Count, lag.TotalLag, input, _busiestRate),
            _settings.Scaling.CatchUpTarget, _settings.Scaling.LagThreshold);
        _replicas.Set(LastRecommendation.Replicas);
    }

    private static string Label(int partition) => partition.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
