using System.CommandLine;
using System.CommandLine.Invocation;
using System.Diagnostics;
using System.Text.Json;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Streamiz.Kafka.Net;
using StreamMetrics.Bench.Peers;
using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Orders;
using StreamMetrics.Core.Simulation;
using StreamMetrics.Kafka;
using StreamMetrics.Kafka.DevCluster;
using StreamMetrics.Kafka.Producers;
using StreamMetrics.Kafka.Source;
using StreamMetrics.Worker.Cli;
using StreamMetrics.Worker.Hosting;
using StreamMetrics.Worker.Options;
using StreamMetrics.Worker.Pipeline;
using StreamMetrics.Worker.Publishing;

namespace StreamMetrics.Bench;

/// <summary>
/// The end-to-end benchmark, a program of its own so that the worker's executable carries none of it: the worker's
/// throughput against a bare Confluent.Kafka consumer that reads and parses the same orders, in one run on the same
/// local cluster (issue 7); then, in <see cref="BenchPhases"/>, window-to-acknowledgement latency at half that
/// throughput, memory per customer and the restore rate.
/// </summary>
public static class BenchCommand
{
    private const string Topic = "bench-orders";
    private const string HowToRun = "dotnet run -c Release --project bench/StreamMetrics.Bench --";
    private const string HowToRunPublished = "dotnet publish -c Release bench/StreamMetrics.Bench -o .bench && dotnet .bench/StreamMetrics.Bench.dll";

    public static RootCommand Create()
    {
        var quick = new Option<bool>("--quick") { Description = "A smaller run that finishes within minutes on 2 cores" };
        var orders = new Option<int?>("--orders") { Description = "Orders to process (default 200,000; 50,000 with --quick)" };
        var customers = new Option<int?>("--customers") { Description = "Simulated customers (default 50,000; 10,000 with --quick)" };
        var days = new Option<int>("--days")
        {
            Description = "Days of event time the orders span; every period end re-evaluates every customer, so a long span measures a replay, a short one live operation",
            DefaultValueFactory = _ => 1,
        };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the figures to this file as JSON" };
        var passivated = new Option<int>("--passivated")
        {
            Description = "Distinct customers for the memory figure, each passivated after its order",
            DefaultValueFactory = _ => 1_000_000,
        };
        var allocations = new Option<bool>("--allocations") { Description = "Print which types the worker's allocations are made of (sampled; slows the run a little)" };
        var repeat = new Option<int>("--repeat")
        {
            Description = "Times to measure the bare consumer and the worker, in turn; their figures are the median run's (a single run of the worker's steady state varies by ±25 %)",
            DefaultValueFactory = _ => 1,
        };
        var command = new RootCommand("Measure the worker end to end against a bare Kafka consumer on the same orders. Starts its own Kafka; writes to InfluxDB when Influx:Url is set, otherwise to a file")
        {
            quick, orders, customers, days, passivated, json, allocations, repeat,
        };
        command.Options.Add(GlobalOptions.Set);
        command.SetAction((parse, cancellation) => GlobalOptions.Guard(async () =>
        {
            var configuration = GlobalOptions.Configuration(parse);
            var settings = GlobalOptions.Load(configuration, needsKafka: false);
            var orderCount = parse.GetValue(orders) ?? (parse.GetValue(quick) ? 50_000 : 200_000);
            var customerCount = parse.GetValue(customers) ?? (parse.GetValue(quick) ? 10_000 : 50_000);
            if (orderCount <= 0 || customerCount <= 0) throw new SettingsException("--orders and --customers must be positive");

            using var cluster = DevKafkaCluster.Start(1);
            settings.Kafka.BootstrapServers = cluster.BootstrapServers;
            settings.Kafka.Topic = Topic;
            settings.Kafka.GroupId = "bench";
            cluster.EnsureTopic(Topic);
            if (parse.GetValue(days) <= 0) throw new SettingsException("--days must be positive");
            var repeats = parse.GetValue(repeat);
            if (repeats <= 0) throw new SettingsException("--repeat must be positive");
            var precompiled = PrecompiledCode.IsReadyToRun(typeof(OrderPipeline).Assembly);
            if (!precompiled)
                Console.Error.WriteLine($"bench: the worker's code is compiled as it runs (JIT), so its first seconds, most of a short steady phase, are its warm-up; for the code the image ships, {HowToRunPublished}");
            var produced = Produce(settings, Topic, SimulatedOrders(customerCount, parse.GetValue(days), orderCount));
            Console.Error.WriteLine($"bench: {produced} orders of {customerCount} simulated customers produced to the local cluster");
            // Every reader waits for all the orders: ones the cluster dropped would leave them waiting for ever.
            if (BenchConsumer.RecordsKept(settings.Kafka.ClientSettings, Topic) is var kept && kept < produced)
                throw new SettingsException($"the local cluster kept {kept:N0} of the {produced:N0} orders (its partitions hold a few MiB each); ask for fewer with --orders");

            // Peers read the same orders as the baseline, each on a group of its own; a new peer is one more entry.
            var peers = new Dictionary<string, PeerFigures>();
            var baselines = new List<BareFigures>();
            var workers = new List<WorkerFigures>();
            for (var run = 1; run <= repeats; run++)
            {
                var bare = Baseline(settings.Kafka.ClientSettings, produced, cancellation);
                baselines.Add(bare);
                Console.Error.WriteLine($"bench: bare consumer {bare.OrdersPerSecond:F0} orders/s; {bare.Steady:F0} between 10 % and 90 % of them, allocating {bare.SteadyAllocatedBytesPerOrder:F0} bytes an order{Untrusted(bare.SteadyHeapCountChanged)}, {bare.SteadyCpuMicrosecondsPerOrder:F1} µs of CPU an order");
                if (run == 1)
                {
                    await RunPeerAsync(peers, AkkaTellPeer.Name, () => AkkaTellPeer.RunAsync(settings.Kafka.ClientSettings, Topic, produced, cancellation));
                    foreach (var guarantee in new[] { ProcessingGuarantee.AT_LEAST_ONCE, ProcessingGuarantee.EXACTLY_ONCE })
                        await RunPeerAsync(peers, StreamizPeer.Name(guarantee), () => StreamizPeer.RunAsync(settings.Kafka.ClientSettings, Topic, produced, guarantee, cancellation));
                }
                // A group, and so a state topic, of each run's own: every run starts from nothing.
                settings.Kafka.GroupId = run == 1 ? "bench" : $"bench-{run}";
                var measured = await WorkerAsync(configuration, settings, produced, parse.GetValue(allocations), cancellation);
                workers.Add(measured);
                Console.Error.WriteLine($"bench: worker {measured.OrdersPerSecond:F0} orders/s, points acknowledged by {measured.Destination}; {measured.Steady:F0} between 10 % and 90 % of them ({measured.SteadyCpuMicrosecondsPerOrder:F1} µs of CPU an order), then a tail of {measured.TailSeconds:F2} s");
                Console.Error.WriteLine($"bench: worker allocated {measured.AllocatedBytesPerOrder:F0} bytes an order{Untrusted(measured.HeapCountChangedInRun)}, {measured.SteadyAllocatedBytesPerOrder:F0} in the steady phase{Untrusted(measured.HeapCountChangedInSteadyPhase)}; collections gen0 {measured.Gc.Gen0}, gen1 {measured.Gc.Gen1}, gen2 {measured.Gc.Gen2}; paused {measured.GcPauseShare:P1} of the run");
            }
            var bareRun = MedianRun(baselines, bare => bare.Steady);
            var (baseline, baselineSteady) = (bareRun.OrdersPerSecond, bareRun.Steady);
            var worker = MedianRun(workers, measured => measured.Steady);
            var (endToEnd, destination) = (worker.OrdersPerSecond, worker.Destination);

            var phases = new BenchPhases(configuration, cluster);
            // Half the throughput run's customers and orders, spread over 30 days so that windows close every day.
            var latencyOrders = SimulatedOrders(Math.Max(customerCount / 2, 1), 30, Math.Max(orderCount / 2, 1)).ToList();
            // Half of what the worker manages on these very orders: closing windows daily makes them heavier than the throughput run's.
            var latencyCapacity = await phases.BoundedRateAsync(latencyOrders, cancellation);
            var latencyRate = latencyCapacity / 2;
            var latency = await phases.WindowLatencyAsync(latencyOrders, latencyRate, cancellation);
            var (p50, p99) = (latency.Percentile(0.50), latency.Percentile(0.99));
            Console.Error.WriteLine($"bench: window to acknowledgement at {latencyRate:F0} orders/s (half of {latencyCapacity:F0}) over {latency.Count} windows: p50 {p50} ms, p99 {p99} ms");
            // Their changelog has to fit the local cluster's few MiB a partition: 100,000 states do.
            var liveCustomers = Math.Min(5 * customerCount, 100_000);
            var (perLive, restoreRate, restored) = await phases.LiveAndRestoreAsync(liveCustomers, cancellation);
            Console.Error.WriteLine($"bench: {perLive:F0} bytes per live customer; {restored} states restored at {restoreRate:F0}/s");
            var passivatedCount = parse.GetValue(passivated);
            var (rss, perPassivated) = await phases.PassivatedAsync(passivatedCount, cancellation);
            Console.Error.WriteLine($"bench: {passivatedCount} passivated customers: RSS {rss / (1 << 20)} MiB, {perPassivated:F0} bytes each");

            var table = new Table().AddColumns("figure", "measured", "target");
            table.AddRow("orders", $"{produced:N0}", "");
            table.AddRow("worker's code", precompiled ? "precompiled (ReadyToRun), as the image ships it" : "compiled as it runs (JIT)", "");
            table.AddRow("bare consumer, orders/s", $"{baseline:N0}", "");
            foreach (var (name, peer) in peers)
                table.AddRow($"peer {name} ({peer.Guarantee}), orders/s whole / steady", $"{peer.OrdersPerSecond:N0} / {peer.SteadyOrdersPerSecond:N0}", "worker's steady ≥ peer's");
            table.AddRow("worker end to end, orders/s", $"{endToEnd:N0}", $"≥ {0.8 * baseline:N0} (0.8 × bare)");
            table.AddRow("ratio", $"{endToEnd / baseline:F2}", "≥ 0.80");
            table.AddRow("steady state (10 % → 90 % of the orders): bare, worker, ratio",
                $"{baselineSteady:N0}, {worker.Steady:N0}, {worker.Steady / baselineSteady:F2}", "ratio ≥ 0.5 (0.8 in the long run)");
            table.AddRow("CPU an order in the steady state, all threads: bare, worker", $"{bareRun.SteadyCpuMicrosecondsPerOrder:F1} µs, {worker.SteadyCpuMicrosecondsPerOrder:F1} µs", "");
            table.AddRow("worker's tail after the last order applied", $"{worker.TailSeconds:F2} s", "");
            table.AddRow("allocated per order (worker, all stages): whole run / steady phase", $"{worker.AllocatedBytesPerOrder:N0} B / {worker.SteadyAllocatedBytesPerOrder:N0} B", "≤ 1 KB on the steady path");
            table.AddRow("allocated per order by the bare consumer (read and parse), steady phase", $"{bareRun.SteadyAllocatedBytesPerOrder:N0} B", "");
            table.AddRow($"window → acknowledged p50 / p99 at {latencyRate:N0} orders/s", $"{p50} / {p99} ms", "p99 ≤ 1,000 ms");
            table.AddRow($"RSS with {passivatedCount:N0} passivated customers", $"{rss / (double)(1 << 30):F2} GiB", "≤ 1.5 GiB for 1,000,000");
            table.AddRow("bytes per passivated customer", $"{perPassivated:N0}", "≤ 300");
            table.AddRow("bytes per live customer", $"{perLive:N0}", "");
            table.AddRow($"restore ({restored:N0} states), states/s", $"{restoreRate:N0}", "≥ 200,000");
            AnsiConsole.Write(table);
            if (parse.GetValue(json) is { } target)
                await File.WriteAllTextAsync(target.FullName, JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["e2e_orders_per_s"] = endToEnd,
                    ["baseline_orders_per_s"] = baseline,
                    ["steady_orders_per_s"] = worker.Steady,
                    ["baseline_steady_orders_per_s"] = baselineSteady,
                    ["peers"] = peers,
                    ["repeat"] = repeats,
                    ["steady_orders_per_s_runs"] = workers.Select(measured => measured.Steady).ToList(),
                    ["baseline_steady_orders_per_s_runs"] = baselines.Select(bare => bare.Steady).ToList(),
                    ["tail_seconds"] = worker.TailSeconds,
                    ["steady_cpu_us_per_order"] = worker.SteadyCpuMicrosecondsPerOrder,
                    ["baseline_steady_cpu_us_per_order"] = bareRun.SteadyCpuMicrosecondsPerOrder,
                    ["rss_bytes_1m_customers"] = rss,
                    ["bytes_per_passivated_customer"] = perPassivated,
                    ["bytes_per_live_customer"] = perLive,
                    ["restore_states_per_s"] = restoreRate,
                    ["window_ack_p50_ms"] = p50,
                    ["window_ack_p99_ms"] = p99,
                    ["window_ack_orders_per_s"] = latencyRate,
                    ["passivated_customers"] = passivatedCount,
                    ["restored_states"] = restored,
                    ["allocated_bytes_per_order"] = worker.AllocatedBytesPerOrder,
                    ["steady_allocated_bytes_per_order"] = worker.SteadyAllocatedBytesPerOrder,
                    ["allocation_heap_count_changed"] = worker.HeapCountChangedInRun,
                    ["steady_allocation_heap_count_changed"] = worker.HeapCountChangedInSteadyPhase,
                    ["baseline_steady_allocated_bytes_per_order"] = bareRun.SteadyAllocatedBytesPerOrder,
                    ["baseline_steady_allocation_heap_count_changed"] = bareRun.SteadyHeapCountChanged,
                    ["orders"] = produced,
                    ["customers"] = customerCount,
                    ["days"] = parse.GetValue(days),
                    ["machine"] = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}",
                    ["sink"] = destination,
                    ["worker_ready_to_run"] = precompiled,
                }, new JsonSerializerOptions { WriteIndented = true }), cancellation);
            return ExitCodes.Done;
        }));
        return command;
    }

    public static async Task<int> InvokeAsync(string[] args)
    {
        _ = GcHeapCount.Instance; // from the start, so that it knows the heap count before the first run
        var parse = Create().Parse(args);
        if (parse.Action is ParseErrorAction) return await StreamMetricsCommand.ReportAsync(parse, HowToRun);
        return await parse.InvokeAsync();
    }

    /// <summary>The run whose <paramref name="by"/> is the median (the upper of the middle two for an even count): one run's figures, taken together.</summary>
    private static T MedianRun<T>(IReadOnlyList<T> runs, Func<T, double> by) => runs.OrderBy(by).ElementAt(runs.Count / 2);

    private static string Untrusted(bool heapCountChanged) =>
        heapCountChanged ? " (not to be trusted: the GC changed its heap count meanwhile, which this runtime's counter of allocated bytes does not follow)" : "";

    /// <summary>Runs one peer and adds its figures to <paramref name="peers"/>; a peer that fails is named with why, and left out.</summary>
    private static async Task RunPeerAsync(Dictionary<string, PeerFigures> peers, string name, Func<Task<PeerFigures>> run)
    {
        try
        {
            var peer = peers[name] = await run();
            Console.Error.WriteLine($"bench: peer {name} {peer.OrdersPerSecond:F0} orders/s; {peer.SteadyOrdersPerSecond:F0} between 10 % and 90 % of them ({peer.Guarantee})");
        }
        catch (PeerFailedException e)
        {
            Console.Error.WriteLine($"bench: peer {name} failed, left out of the figures: {e.Message}");
        }
    }

    /// <summary>Produces every order before anything reads them; they have to fit the local cluster's few MiB a partition.</summary>
    internal static long Produce(WorkerSettings settings, string topic, IEnumerable<OrderEvent> orders)
    {
        using var producer = new RecordProducer(settings.Kafka.ClientSettings);
        var publisher = new OrderPublisher(producer, topic);
        foreach (var order in orders) publisher.Publish(order);
        producer.Finish(TimeSpan.FromMinutes(2));
        if (producer.Failed > 0)
            throw new InvalidOperationException($"producing the bench orders failed: {producer.FirstError}");
        return publisher.Published;
    }

    private static IEnumerable<OrderEvent> SimulatedOrders(int customers, int days, int orders) =>
        new PopulationSimulator(customers, days, seed: 1, behaviour: BusyEnoughFor(orders, customers, days)).Orders().Take(orders);

    /// <summary>
    /// A population that buys often enough to place about the orders asked for within the days asked for:
    /// customers start buying uniformly over the span, so on average for half of it, at a mean rate of r/α a day,
    /// and rarely drop out (p ~ Beta(0.8, 24)), so that their number and not dropping out bounds the orders.
    /// </summary>
    private static BgNbdParameters BusyEnoughFor(int orders, int customers, int days)
    {
        var perCustomerDay = 1.5 * orders / ((double)customers * days / 2);
        return PopulationSimulator.DefaultBehaviour with { R = 1, Alpha = 1 / perCustomerDay, B = 24 };
    }

    /// <summary>
    /// Reads and parses every order with a bare consumer; orders per second from the first record to the last, and
    /// between 10 % and 90 % of them, with the bytes allocated an order there: what reading and parsing cost before the
    /// worker does anything with an order.
    /// </summary>
    private static BareFigures Baseline(KafkaClientSettings kafka, long orders, CancellationToken cancellation)
    {
        // Records taken straight from librdkafka into memory that is reused, as the worker's source reads them, so that both
        // sides pay the same.
        var arena = new RecordArena();
        using var consumer = BenchConsumer.FromBeginning(kafka, Topic, "bench-baseline", arena);
        var reader = new DirectRecordReader(consumer, arena);
        var validation = new OrderValidationOptions();
        Stopwatch? clock = null;
        var steady = new SteadyState(orders);
        var (allocatedBefore, cpuBefore, heapChanges) = (0L, TimeSpan.Zero, GcHeapCount.Instance.Changes);
        int? heapChangesAtFrom = null;
        long read = 0;
        while (read < orders && !cancellation.IsCancellationRequested)
        {
            if (!reader.TryRead(TimeSpan.FromMilliseconds(100), out var record)) continue;
            if (clock is null) (clock, allocatedBefore, cpuBefore) = (Stopwatch.StartNew(), GC.GetTotalAllocatedBytes(), Environment.CpuUsage.TotalTime);
            OrderParser.TryParse(record.Key.Span, record.Value.Span, validation, out _, out _);
            arena.Release(record.Key);
            arena.Release(record.Value);
            // The allocation counter is read every 64 orders only, so that reading it weighs nothing in the rate.
            if ((++read & 63) == 0 || read == orders)
            {
                steady.Observe(read, clock.Elapsed, GC.GetTotalAllocatedBytes() - allocatedBefore, Environment.CpuUsage.TotalTime - cpuBefore);
                if (steady.Between) heapChangesAtFrom ??= GcHeapCount.Instance.Changes;
            }
        }
        return new BareFigures(read / Math.Max(clock?.Elapsed.TotalSeconds ?? 0, 1e-6), steady.Rate, steady.AllocatedPerItem,
            GcHeapCount.Instance.Changes != (heapChangesAtFrom ?? heapChanges), steady.CpuMicrosecondsPerItem);
    }

    /// <summary>A run of the bare consumer; <see cref="SteadyHeapCountChanged"/> as for the worker (<see cref="WorkerFigures"/>).</summary>
    private sealed record BareFigures(double OrdersPerSecond, double Steady, double SteadyAllocatedBytesPerOrder, bool SteadyHeapCountChanged, double SteadyCpuMicrosecondsPerOrder);

    /// <summary>The whole worker, bounded: orders per second from its first record to everything acknowledged and committed.</summary>
    internal static async Task<WorkerFigures> WorkerAsync(Microsoft.Extensions.Configuration.IConfiguration configuration,
        WorkerSettings settings, long orders, bool sampleAllocations, CancellationToken cancellation)
    {
        using var host = WorkerHost.Build(configuration);
        await host.StartAsync(CancellationToken.None);
        var loggers = host.Services.GetRequiredService<ILoggerFactory>();
        await using var sink = BenchSink.Create(settings, loggers);
        using var records = new RecordCollector(settings.Kafka.ClientSettings);
        using var pipelines = new WorkerPipelines(host.Services.GetRequiredService<ActorSystem>(), settings, sink.Sink, records, loggers);
        var running = pipelines.RunAsync(new PipelineRun(true, null, false, settings.ShutdownTimeout), cancellation);
        while (pipelines.Stats.RecordsRead == 0 && !running.IsCompleted) await Task.Delay(5, cancellation);
        var clock = Stopwatch.StartNew();
        var before = GcFigures.Now();
        var heapChanges = GcHeapCount.Instance.Changes;
        int? heapChangesAtFrom = null, heapChangesAtTo = null;
        using var sampler = sampleAllocations ? new AllocationSampler() : null;
        // Orders count as applied once their partition has answered for them; watched every few milliseconds. The bytes
        // allocated while the orders between 10 % and 90 % were applied are the steady path's, without start or tail.
        var steady = new SteadyState(orders);
        while (!running.IsCompleted)
        {
            steady.Observe(pipelines.Stats.OrdersApplied, clock.Elapsed, GC.GetTotalAllocatedBytes() - before.AllocatedBytes, Environment.CpuUsage.TotalTime - before.Cpu);
            if (sampler is not null) sampler.Counting = steady.Between;
            if (steady.Between) heapChangesAtFrom ??= GcHeapCount.Instance.Changes;
            else if (heapChangesAtFrom is not null) heapChangesAtTo ??= GcHeapCount.Instance.Changes;
            await Task.WhenAny(running, Task.Delay(2, cancellation));
        }
        await running;
        foreach (var (type, share) in sampler?.Top(25) ?? []) Console.Error.WriteLine($"bench: allocated {share,6:P1} {type}");
        var seconds = clock.Elapsed.TotalSeconds;
        var gc = GcFigures.Now() - before;
        await host.StopAsync(CancellationToken.None);
        return new WorkerFigures(orders / Math.Max(seconds, 1e-6), sink.Destination,
            (double)gc.AllocatedBytes / orders, gc.Pause.TotalSeconds / seconds, gc)
        {
            Steady = steady.Rate,
            SteadyAllocatedBytesPerOrder = steady.AllocatedPerItem,
            SteadyCpuMicrosecondsPerOrder = steady.CpuMicrosecondsPerItem,
            HeapCountChangedInRun = GcHeapCount.Instance.Changes != heapChanges,
            HeapCountChangedInSteadyPhase = heapChangesAtFrom is { } atFrom ? atFrom != (heapChangesAtTo ?? GcHeapCount.Instance.Changes) : GcHeapCount.Instance.Changes != heapChanges,
            TailSeconds = seconds - (steady.AllDoneAt ?? clock.Elapsed).TotalSeconds,
        };
    }

    internal sealed record WorkerFigures(double OrdersPerSecond, string Destination, double AllocatedBytesPerOrder, double GcPauseShare, GcFigures Gc)
    {
        /// <summary>Orders a second between 10 % and 90 % of them applied.</summary>
        public double Steady { get; init; }

        /// <summary>Bytes allocated, process-wide, an order applied between 10 % and 90 % of them.</summary>
        public double SteadyAllocatedBytesPerOrder { get; init; }

        /// <summary>Microseconds of the process's CPU time an order applied between 10 % and 90 % of them, all threads.</summary>
        public double SteadyCpuMicrosecondsPerOrder { get; init; }

        /// <summary>From the last order applied to the end of the bounded run: last windows, final fit, checkpoint, commit.</summary>
        public double TailSeconds { get; init; }

        /// <summary>The GC changed its heap count during the run, or its steady phase: the bytes allocated then are not to be trusted (<see cref="GcHeapCount"/>).</summary>
        public bool HeapCountChangedInRun { get; init; }

        public bool HeapCountChangedInSteadyPhase { get; init; }
    }

    /// <summary>The garbage collector's counters, process-wide.</summary>
    internal sealed record GcFigures(long AllocatedBytes, TimeSpan Pause, int Gen0, int Gen1, int Gen2, TimeSpan Cpu)
    {
        public static GcFigures Now() =>
            new(GC.GetTotalAllocatedBytes(), GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), Environment.CpuUsage.TotalTime);

        public static GcFigures operator -(GcFigures after, GcFigures before) =>
            new(after.AllocatedBytes - before.AllocatedBytes, after.Pause - before.Pause, after.Gen0 - before.Gen0, after.Gen1 - before.Gen1, after.Gen2 - before.Gen2, after.Cpu - before.Cpu);
    }
}
