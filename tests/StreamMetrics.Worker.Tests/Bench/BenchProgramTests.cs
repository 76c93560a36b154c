using System.Text.Json;
using StreamMetrics.Worker.Tests.Integration;

namespace StreamMetrics.Worker.Tests.Bench;

public sealed class BenchProgramTests
{
    [Fact]
    public async Task A_small_bench_writes_every_key_with_every_figure_measured()
    {
        var json = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.json");
        try
        {
            var bench = await WorkerProcess.RunAsync(["--orders", "3000", "--customers", "500", "--passivated", "2000", "--repeat", "2", "--json", json], TimeSpan.FromMinutes(5),
                program: WorkerProcess.Bench);

            Assert.True(bench.ExitCode == 0, bench.Stderr);
            using var figures = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            var keys = figures.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet();
            Assert.Superset(new HashSet<string>
            {
                "e2e_orders_per_s", "baseline_orders_per_s", "rss_bytes_1m_customers", "bytes_per_passivated_customer", "bytes_per_live_customer",
                "restore_states_per_s", "window_ack_p50_ms", "window_ack_p99_ms", "orders", "customers", "machine",
                "steady_orders_per_s", "baseline_steady_orders_per_s", "tail_seconds", "peers", "steady_allocated_bytes_per_order",
                "steady_allocation_heap_count_changed", "baseline_steady_allocated_bytes_per_order", "baseline_steady_allocation_heap_count_changed", "worker_ready_to_run",
                "steady_cpu_us_per_order", "baseline_steady_cpu_us_per_order",
            }, keys);
            Assert.InRange(figures.RootElement.GetProperty("orders").GetInt64(), 1, 3000);
            foreach (var measured in new[]
                     {
                         "e2e_orders_per_s", "baseline_orders_per_s", "rss_bytes_1m_customers", "bytes_per_passivated_customer", "bytes_per_live_customer",
                         "restore_states_per_s", "window_ack_p99_ms", "steady_orders_per_s", "baseline_steady_orders_per_s", "tail_seconds",
                         "steady_cpu_us_per_order", "baseline_steady_cpu_us_per_order",
                     })
                Assert.True(figures.RootElement.GetProperty(measured).GetDouble() > 0, $"{measured} was not measured");
            // The runtime's count of allocated bytes does not follow a change of the GC's heap count (GcHeapCount): the bench says so instead.
            foreach (var (allocated, untrusted) in new[]
                     {
                         ("steady_allocated_bytes_per_order", "steady_allocation_heap_count_changed"),
                         ("baseline_steady_allocated_bytes_per_order", "baseline_steady_allocation_heap_count_changed"),
                     })
                if (!figures.RootElement.GetProperty(untrusted).GetBoolean())
                    Assert.True(figures.RootElement.GetProperty(allocated).GetDouble() > 0, $"{allocated} was not measured");
            Assert.True(figures.RootElement.GetProperty("window_ack_p50_ms").GetDouble() >= 0);
            Assert.Equal(2_500, figures.RootElement.GetProperty("restored_states").GetInt64());
            // Two runs of the bare consumer and the worker, each measured: the figures above are the median run's.
            foreach (var runs in new[] { "steady_orders_per_s_runs", "baseline_steady_orders_per_s_runs" })
                Assert.All(figures.RootElement.GetProperty(runs).EnumerateArray().ToList(), run => Assert.True(run.GetDouble() > 0, $"a run of {runs} was not measured"));
            Assert.Equal(2, figures.RootElement.GetProperty("steady_orders_per_s_runs").GetArrayLength());
            var peers = figures.RootElement.GetProperty("peers");
            foreach (var (name, guarantee) in new[]
                     {
                         ("akka_tell", "at_least_once"), ("streamiz_at_least_once", "at_least_once"), ("streamiz_exactly_once", "exactly_once"),
                     })
            {
                Assert.True(peers.TryGetProperty(name, out var peer), $"peers.{name} is missing: {bench.Stderr}");
                Assert.True(peer.GetProperty("orders_per_s").GetDouble() > 0, $"peers.{name}.orders_per_s was not measured");
                Assert.Equal(guarantee, peer.GetProperty("guarantee").GetString());
            }
        }
        finally
        {
            File.Delete(json);
        }
    }
}
