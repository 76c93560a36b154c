using System.Diagnostics;
using Akka.Actor;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamMetrics.Core.Orders;
using StreamMetrics.Influx.Writing;
using StreamMetrics.Kafka;
using StreamMetrics.Kafka.DevCluster;
using StreamMetrics.Kafka.Producers;
using StreamMetrics.Worker.Cli;
using StreamMetrics.Worker.Hosting;
using StreamMetrics.Worker.Options;
using StreamMetrics.Worker.Pipeline;
using StreamMetrics.Worker.Publishing;

namespace StreamMetrics.Bench;

/// <summary>
/// The parts of the bench that run the worker open-ended while orders are produced: window-to-acknowledgement
/// latency at a given rate, memory per live and per passivated customer, and the restore rate. Each runs
/// its own worker (host, actor system, pipelines) on its own topic and group of the bench's cluster.
/// </summary>
/// <remarks>
/// The local cluster keeps only a few MiB per partition, so orders are produced while the worker consumes,
/// never more than <see cref="MaxBacklog"/> ahead of it.
/// </remarks>
internal sealed class BenchPhases(IConfiguration configuration, DevKafkaCluster cluster)
{
    private const int MaxBacklog = 20_000;
    private static readonly TimeSpan PhaseTimeout = TimeSpan.FromMinutes(10);
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Regions = ["United Kingdom", "Germany", "France", "Netherlands", "Spain"];
    private static readonly string[] Channels = ["web", "app", "store"];

    /// <summary>Orders per second of a bounded worker run over <paramref name="orders"/>, produced beforehand, from its first record to its end.</summary>
    public async Task<double> BoundedRateAsync(IReadOnlyList<OrderEvent> orders, CancellationToken cancellation)
    {
        const string name = "bench-capacity";
        var settings = Settings(name, TimeSpan.FromMinutes(2));
        BenchCommand.Produce(settings, name, orders);
        return (await BenchCommand.WorkerAsync(configuration, settings, orders.Count, sampleAllocations: false, cancellation)).OrdersPerSecond;
    }

    /// <summary>Produces <paramref name="orders"/> at <paramref name="ordersPerSecond"/> while the worker runs; the latency of every window it closes.</summary>
    public async Task<LatencyHistogram> WindowLatencyAsync(IReadOnlyList<OrderEvent> orders, double ordersPerSecond, CancellationToken cancellation)
    {
        LatencyHistogram? latency = null;
        await RunWorkerAsync("bench-latency", TimeSpan.FromMinutes(2), async (stats, topic) =>
        {
            latency = stats.WindowToAck;
            await ProduceAsync(topic, orders, stats, ordersPerSecond, cancellation);
            await Until(() => stats.OrdersApplied >= orders.Count, cancellation);
        }, cancellation);
        return latency!;
    }

    /// <summary>
    /// One order each for <paramref name="customers"/> customers, kept live: managed bytes per live customer;
    /// then a second worker on the same group restores them all from the changelog: states per second.
    /// </summary>
    public async Task<(double BytesPerLiveCustomer, double RestoredPerSecond, long Restored)> LiveAndRestoreAsync(int customers, CancellationToken cancellation)
    {
        double bytesPerCustomer = 0;
        await RunWorkerAsync("bench-live", TimeSpan.FromHours(1), async (stats, topic) =>
        {
            var before = SettledHeapBytes();
            await ProduceAsync(topic, OneOrderEach(customers), stats, double.PositiveInfinity, cancellation);
            await Until(() => stats.OrdersApplied >= customers && stats.Customers >= customers, cancellation);
            bytesPerCustomer = (double)(SettledHeapBytes() - before) / customers;
        }, cancellation);

        var (restored, restoreTime) = (0L, TimeSpan.Zero);
        await RunWorkerAsync("bench-live", TimeSpan.FromHours(1), async (stats, _) =>
        {
            // The four partitions restore one after the other; all of them are in once the customers are.
            await Until(() => stats.StatesRestored >= customers, cancellation, TimeSpan.FromMinutes(2));
            (restored, restoreTime) = (stats.StatesRestored, stats.RestoreTime);
        }, cancellation);
        return (bytesPerCustomer, restored / Math.Max(restoreTime.TotalSeconds, 1e-6), restored);
    }

    /// <summary>One order each for <paramref name="customers"/> customers, passivated two seconds after their order: process RSS and managed bytes per customer.</summary>
    public async Task<(long RssBytes, double BytesPerPassivatedCustomer)> PassivatedAsync(int customers, CancellationToken cancellation)
    {
        var (rss, bytesPerCustomer) = (0L, 0.0);
        await RunWorkerAsync("bench-passivated", TimeSpan.FromSeconds(2), async (stats, topic) =>
        {
            var before = SettledHeapBytes();
            await ProduceAsync(topic, OneOrderEach(customers), stats, double.PositiveInfinity, cancellation);
            await Until(() => stats.OrdersApplied >= customers && stats.PassivatedCustomers >= customers, cancellation);
            bytesPerCustomer = (double)(SettledHeapBytes() - before) / customers;
            rss = Environment.WorkingSet;
        }, cancellation, customerSeries: false); // a million customer_id tag values are over influxd's default max-values-per-tag (100,000)
        return (rss, bytesPerCustomer);
    }

    /// <summary>Runs a worker on <paramref name="name"/> (topic and group) until <paramref name="measure"/> returns, then stops it as SIGTERM would.</summary>
    private async Task RunWorkerAsync(string name, TimeSpan passivateAfter, Func<PipelineStats, string, Task> measure, CancellationToken cancellation,
        bool customerSeries = true)
    {
        var settings = Settings(name, passivateAfter);
        settings.Influx.CustomerSeries &= customerSeries;
        using var host = WorkerHost.Build(configuration);
        await host.StartAsync(CancellationToken.None);
        await using var sink = BenchSink.Create(settings, host.Services.GetRequiredService<ILoggerFactory>());
        using var records = new RecordCollector(settings.Kafka.ClientSettings);
        using var pipelines = new WorkerPipelines(host.Services.GetRequiredService<ActorSystem>(), settings, sink.Sink, records, host.Services.GetRequiredService<ILoggerFactory>());
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var running = pipelines.RunAsync(new PipelineRun(false, null, false, settings.ShutdownTimeout), stop.Token);
        try
        {
            await measure(pipelines.Stats, name).WaitAsync(PhaseTimeout, cancellation);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>The configured settings, on this cluster, with <paramref name="name"/> as topic and group.</summary>
    private WorkerSettings Settings(string name, TimeSpan passivateAfter)
    {
        var settings = GlobalOptions.Load(configuration, needsKafka: false);
        settings.Kafka.BootstrapServers = cluster.BootstrapServers;
        cluster.EnsureTopic(name);
        settings.Kafka.Topic = name;
        settings.Kafka.GroupId = name;
        settings.Metrics.PassivateAfter = passivateAfter;
        return settings;
    }

    /// <summary>Produces on a thread of its own, at most <paramref name="ordersPerSecond"/> and at most <see cref="MaxBacklog"/> ahead of the worker.</summary>
    private async Task ProduceAsync(string topic, IEnumerable<OrderEvent> orders, PipelineStats stats, double ordersPerSecond, CancellationToken cancellation)
    {
        using var producer = new RecordProducer(new KafkaClientSettings(cluster.BootstrapServers));
        var publisher = new OrderPublisher(producer, topic);
        var clock = Stopwatch.StartNew();
        await Task.Run(async () =>
        {
            foreach (var order in orders)
            {
                publisher.Publish(order);
                if (publisher.Published % 100 != 0) continue;
                while (publisher.Published - stats.RecordsRead > MaxBacklog || publisher.Published / ordersPerSecond > clock.Elapsed.TotalSeconds)
                    await Task.Delay(5, cancellation);
            }
        }, cancellation);
        producer.Finish(TimeSpan.FromMinutes(2));
        if (producer.Failed > 0)
            throw new InvalidOperationException($"producing the bench orders to {topic} failed: {producer.FirstError}");
    }

    /// <summary>One small order for each of <paramref name="customers"/> distinct customers, spread over one day.</summary>
    private static IEnumerable<OrderEvent> OneOrderEach(int customers)
    {
        for (var i = 0; i < customers; i++)
            yield return new OrderEvent($"B{i}", $"B{i:D7}", Start.AddMilliseconds(i * (86_400_000.0 / customers)), OrderKind.Purchase, 20m, "GBP",
                Regions[i % Regions.Length], Channels[i % Channels.Length], [new OrderItem($"SKU{i % 500}", "music", 1, 20m)]);
    }

    private static long SettledHeapBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static async Task Until(Func<bool> condition, CancellationToken cancellation, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > (timeout ?? PhaseTimeout)) throw new TimeoutException("the bench phase did not finish in time");
            await Task.Delay(100, cancellation);
        }
    }
}
