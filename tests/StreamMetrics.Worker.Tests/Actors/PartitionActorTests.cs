using Akka.Actor;
using Akka.TestKit.Xunit2;
using StreamMetrics.Core.Customers;
using StreamMetrics.Core.Demand;
using StreamMetrics.Core.Orders;
using StreamMetrics.Core.State;
using StreamMetrics.Worker.Actors;
using StreamMetrics.Worker.Actors.Messages;
using StreamMetrics.Worker.Options;

namespace StreamMetrics.Worker.Tests.Actors;

public sealed class PartitionActorTests : TestKit
{
    private static readonly DateTimeOffset Day1 = DateTimeOffset.Parse("2011-01-10T00:00:00Z");
    private static readonly DateTimeOffset WallClock = DateTimeOffset.Parse("2026-01-01T00:00:00Z");

    private readonly IActorRef _partition;

    public PartitionActorTests() : base(CustomerMailbox.Configuration) => _partition = Sys.ActorOf(PartitionActor.Props(3, new MetricsOptions()));

    private static OffsetOrder Order(long offset, string customerId, DateTimeOffset at, decimal amount, string? orderId = null) =>
        new(offset, new OrderEvent(orderId ?? $"o{offset}", customerId, at, OrderKind.Purchase, amount, null, null, null, []));

    private PartitionOutput Process(params OffsetOrder[] orders)
    {
        _partition.Tell(new ProcessOrders(orders, orders.Max(o => o.Offset), WallClock));
        return ExpectMsg<PartitionOutput>();
    }

    [Fact]
    public void Windows_are_emitted_once_the_watermark_passes_their_end()
    {
        var first = Process(Order(0, "a", Day1.AddHours(9), 10m), Order(1, "b", Day1.AddHours(10), 5m));
        Assert.Empty(first.Windows);
        Assert.Null(first.CommittableOffset);

        // The watermark trails by 10 minutes, so an order at 00:05 the next day does not close day 1 yet.
        var second = Process(Order(2, "a", Day1.AddDays(1).AddMinutes(5), 1m));
        Assert.Empty(second.Windows);

        var third = Process(Order(3, "c", Day1.AddDays(1).AddMinutes(11), 1m));
        Assert.Equal(["a", "b"], third.Windows.Select(w => w.CustomerId).Order());
        Assert.All(third.Windows, w => Assert.Equal(Day1, w.WindowStart));
        Assert.Equal(3, third.Partition);
    }

    [Fact]
    public void A_command_answers_before_the_refit_it_made_due_and_the_next_output_carries_the_refit()
    {
        // A partition's first command evaluates the period its watermark is in, and with no model yet, a refit is due after it.
        var first = Process(Order(0, "a", Day1.AddHours(9), 10m));
        Assert.Empty(first.Fits);

        // The watermark enters day 2: its start is evaluated, and refitted after.
        var closing = Process(Order(1, "b", Day1.AddDays(1).AddMinutes(11), 1m));
        Assert.Single(closing.Windows);
        Assert.Equal([Day1], closing.Fits.Select(f => f.At));

        _partition.Tell(new Checkpoint());
        Assert.Equal([Day1.AddDays(1)], ExpectMsg<PartitionOutput>().Fits.Select(f => f.At));
    }

    [Fact]
    public void A_late_order_reemits_its_window_with_corrected_totals_and_is_counted_late()
    {
        Process(Order(0, "a", Day1.AddHours(9), 10m));
        var closing = Process(Order(1, "b", Day1.AddDays(1).AddHours(1), 1m));
        Assert.Equal(10m, Assert.Single(closing.Windows).Revenue);

        var late = Process(Order(2, "a", Day1.AddHours(20), 4m));

        var window = Assert.Single(late.Windows);
        Assert.Equal((Day1, 2L, 14m), (window.WindowStart, window.Orders, window.Revenue));
        Assert.Equal(1, late.Counts.Late);
    }

    [Fact]
    public void A_repeated_order_id_of_the_same_customer_is_applied_once()
    {
        Process(Order(0, "a", Day1.AddHours(9), 10m, orderId: "536365"));
        var repeat = Process(Order(1, "a", Day1.AddHours(9), 10m, orderId: "536365"));
        Assert.Equal(new OrderCounts(0, 1, 0), repeat.Counts);

        _partition.Tell(new EmitAllWindows(null));
        var window = Assert.Single(ExpectMsg<PartitionOutput>().Windows);
        Assert.Equal(1, window.Orders);
    }

    [Fact]
    public void An_idle_partition_advances_its_watermark_by_wall_clock_time_and_closes_windows()
    {
        Process(Order(0, "a", Day1.AddHours(23).AddMinutes(59), 10m));

        _partition.Tell(new AdvanceIdle(WallClock.AddSeconds(10)));
        Assert.Empty(ExpectMsg<PartitionOutput>().Windows);

        _partition.Tell(new AdvanceIdle(WallClock.AddMinutes(12)));
        var output = ExpectMsg<PartitionOutput>();
        Assert.Equal(Day1, Assert.Single(output.Windows).WindowStart);
    }

    [Fact]
    public void A_restored_idle_partition_advances_its_watermark_by_the_wall_clock_time_since_the_restore()
    {
        Process(Order(0, "a", Day1.AddHours(23).AddMinutes(59), 10m));
        // Idle for 5 minutes before the checkpoint: the snapshot holds that advance too.
        _partition.Tell(new AdvanceIdle(WallClock.AddMinutes(5)));
        ExpectMsg<PartitionOutput>();
        _partition.Tell(new Checkpoint());
        var states = ExpectMsg<PartitionOutput>().States.ToDictionary(s => s.Key, s => s.Value!);

        // The worker restarts an hour later; no record arrives after the restore.
        var restoredAt = WallClock.AddHours(1);
        var restored = Sys.ActorOf(PartitionActor.Props(3, new MetricsOptions()));
        restored.Tell(new RestorePartition(states, restoredAt));
        ExpectMsg<PartitionRestored>();

        restored.Tell(new AdvanceIdle(restoredAt.AddSeconds(10)));
        var beforeIdleTimeout = ExpectMsg<PartitionOutput>();
        Assert.Empty(beforeIdleTimeout.Windows);
        Assert.Equal(Day1.AddHours(23).AddMinutes(59 + 5 - 10), beforeIdleTimeout.Watermark);

        restored.Tell(new AdvanceIdle(restoredAt.AddMinutes(12)));
        var output = ExpectMsg<PartitionOutput>();
        // The 5 minutes before the restart, then the 12 since the restore, less the 10 minutes of allowed lateness.
        Assert.Equal(Day1.AddDays(1).AddMinutes(-1 + 5 + 12 - 10), output.Watermark);
        Assert.Equal(Day1, Assert.Single(output.Windows).WindowStart);
    }

    [Fact]
    public void Emitting_all_windows_includes_open_ones()
    {
        Process(Order(0, "a", Day1.AddHours(9), 10m), Order(5, "b", Day1.AddHours(12), 2m));

        _partition.Tell(new EmitAllWindows(Day1.AddDays(10)));
        var output = ExpectMsg<PartitionOutput>();

        Assert.Equal(2, output.Windows.Count);
        Assert.Equal(Day1.AddDays(10), output.Watermark);
    }

    [Fact]
    public void A_partition_that_has_read_nothing_has_nothing_to_commit()
    {
        _partition.Tell(new Checkpoint());

        Assert.Null(ExpectMsg<PartitionOutput>().CommittableOffset);
    }

    [Fact]
    public void A_checkpoint_hands_over_the_changed_customers_and_the_offset_after_the_last_record()
    {
        Process(Order(0, "a", Day1.AddHours(9), 10m), Order(1, "b", Day1.AddHours(10), 5m));
        _partition.Tell(new Checkpoint());
        var first = ExpectMsg<PartitionOutput>();
        Assert.Equal(2, first.CommittableOffset);
        Assert.Equal([PartitionSnapshot.Key, "a", "b"], CustomerAndPartitionKeys(first).Order(StringComparer.Ordinal));

        Process(Order(2, "a", Day1.AddHours(11), 1m));
        _partition.Tell(new Checkpoint());
        var second = ExpectMsg<PartitionOutput>();
        Assert.Equal(3, second.CommittableOffset);
        Assert.Equal([PartitionSnapshot.Key, "a"], CustomerAndPartitionKeys(second).Order(StringComparer.Ordinal));

        Assert.Contains(second.States, s => s.Key.StartsWith(DemandPartials.SnapshotKeyPrefix, StringComparison.Ordinal));

        _partition.Tell(new Checkpoint());
        var unchanged = ExpectMsg<PartitionOutput>();
        Assert.Equal(3, unchanged.CommittableOffset);
        Assert.Empty(unchanged.States);
    }

    [Fact]
    public void A_partition_restored_from_its_checkpoint_skips_orders_already_applied_and_ends_exactly_like_one_never_stopped()
    {
        OffsetOrder[] orders =
        [
            Order(0, "a", Day1.AddHours(9), 10m), Order(1, "b", Day1.AddHours(10), 5m), Order(2, "a", Day1.AddDays(1).AddHours(1), 3m),
            Order(3, "c", Day1.AddDays(1).AddHours(2), 7m), Order(4, "a", Day1.AddDays(2).AddHours(3), 2m), Order(5, "b", Day1.AddHours(23), 1m),
        ];
        // Like InfluxDB, the written windows keep the last value per customer and window start.
        var written = new Dictionary<(string, DateTimeOffset), ActivityWindow>();
        void WriteTo(Dictionary<(string, DateTimeOffset), ActivityWindow> into, PartitionOutput output)
        {
            foreach (var window in output.Windows) into[(window.CustomerId, window.WindowStart)] = window;
        }
        void Write(PartitionOutput output) => WriteTo(written, output);

        var states = new Dictionary<string, byte[]>();
        Write(Process(orders[..3]));
        _partition.Tell(new Checkpoint());
        foreach (var (key, value) in ExpectMsg<PartitionOutput>().States) states[key] = value!;
        // Orders 3 and 4 were applied after the checkpoint, then the process died before the next one.
        Write(Process(orders[3..5]));

        var restored = Sys.ActorOf(PartitionActor.Props(3, new MetricsOptions()));
        restored.Tell(new RestorePartition(states, WallClock));
        Assert.Equal(2, ExpectMsg<PartitionRestored>().Customers);
        // The checkpoint's commit of offset 3 did not go through, so the next owner reads again from 2: order 2 is skipped by offset.
        restored.Tell(new ProcessOrders(orders[2..], 5, WallClock));
        var replay = ExpectMsg<PartitionOutput>();
        Write(replay);
        Assert.Equal(new OrderCounts(3, 0, 1, AlreadyApplied: 1), replay.Counts);
        restored.Tell(new EmitAllWindows(Day1.AddDays(5)));
        Write(ExpectMsg<PartitionOutput>());

        var clean = Sys.ActorOf(PartitionActor.Props(3, new MetricsOptions()));
        var expected = new Dictionary<(string, DateTimeOffset), ActivityWindow>();
        clean.Tell(new ProcessOrders(orders, 5, WallClock));
        WriteTo(expected, ExpectMsg<PartitionOutput>());
        clean.Tell(new EmitAllWindows(Day1.AddDays(5)));
        WriteTo(expected, ExpectMsg<PartitionOutput>());

        Assert.Equal(expected.Values.OrderBy(w => (w.CustomerId, w.WindowStart)), written.Values.OrderBy(w => (w.CustomerId, w.WindowStart)));
        Assert.Equal(5, written.Count);
    }

    private static IEnumerable<string> CustomerAndPartitionKeys(PartitionOutput checkpoint) =>
        checkpoint.States.Select(s => s.Key).Where(k => !k.StartsWith(DemandPartials.SnapshotKeyPrefix, StringComparison.Ordinal));

    [Fact]
    public void A_customer_without_an_order_for_the_customer_retention_is_forgotten_with_a_tombstone_and_comes_back_as_new()
    {
        var partition = Sys.ActorOf(PartitionActor.Props(0, new MetricsOptions { CustomerRetention = TimeSpan.FromDays(365) }));
        partition.Tell(new ProcessOrders([Order(0, "gone", Day1, 10m), Order(1, "stays", Day1.AddHours(1), 10m)], 1, WallClock));
        Assert.Equal(2, ExpectMsg<PartitionOutput>().Customers);
        partition.Tell(new Checkpoint());
        Assert.Contains(ExpectMsg<PartitionOutput>().States, s => s.Key == "gone" && s.Value is not null);

        // A year and a day later "stays" buys again; the evaluation of that day forgets "gone", which has not.
        partition.Tell(new ProcessOrders([Order(2, "stays", Day1.AddDays(366).AddHours(1), 10m), Order(3, "stays", Day1.AddDays(367).AddHours(1), 10m)], 3, WallClock));
        var evaluated = ExpectMsg<PartitionOutput>();
        Assert.Equal((1, 1), (evaluated.Customers, evaluated.ForgottenCustomers));
        // Evaluated while it was within the retention, never after.
        Assert.Contains(evaluated.Metrics, m => m.CustomerId == "gone");
        Assert.DoesNotContain(evaluated.Metrics, m => m.CustomerId == "gone" && m.WindowStart > Day1.AddDays(365));
        Assert.All(evaluated.Segments.Where(s => s.Scheme == "rfm" && s.PeriodStart > Day1.AddDays(365)), s => Assert.Equal(1, s.Customers));
        partition.Tell(new Checkpoint());
        var tombstone = Assert.Single(ExpectMsg<PartitionOutput>().States, s => s.Key == "gone");
        Assert.Null(tombstone.Value);

        // An order after that starts the customer over.
        partition.Tell(new ProcessOrders([Order(4, "gone", Day1.AddDays(368), 5m)], 4, WallClock));
        var back = ExpectMsg<PartitionOutput>();
        Assert.Equal(2, back.Customers);
        Assert.Contains(back.Events, e => e.CustomerId == "gone" && e.Event == "new_customer");
    }
}
