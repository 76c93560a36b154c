using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Customers;
using StreamMetrics.Core.Orders;
using StreamMetrics.Core.Replay;
using StreamMetrics.Core.State;
using StreamMetrics.Core.Tests.Replay;
using StreamMetrics.Core.Time;

namespace StreamMetrics.Core.Tests.State;

public sealed class CustomerSnapshotTests
{
    private static readonly PeriodWindows Days = new(TimeSpan.FromDays(1));
    private static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    private static readonly Lazy<IReadOnlyList<IGrouping<string, OrderEvent>>> OnlineRetailCustomers = new(() =>
    {
        using var reader = DataSetFiles.Open("online-retail/online_retail.csv.gz");
        return [.. ReplayReader.Read(ReplayFormat.OnlineRetail, reader).Orders.GroupBy(o => o.CustomerId)];
    });

    private static CustomerSnapshot Restore(CustomerSnapshot snapshot) =>
        CustomerSnapshot.Decode(snapshot.State.CustomerId, snapshot.Encode(), Days, Retention);

    [Fact]
    public void Every_Online_Retail_customer_round_trips_bit_for_bit_and_behaves_the_same_after_restore()
    {
        var sizes = new List<int>();
        foreach (var orders in OnlineRetailCustomers.Value)
        {
            var original = new CustomerSnapshot(new CustomerState(orders.Key, Days, Retention), new CustomerTracker(), 41);
            var half = orders.Count() / 2;
            foreach (var order in orders.Take(half)) original.State.Apply(order);
            original.Tracker.OnPurchase(orders.Key, orders.First().Timestamp, "champions");

            var bytes = original.Encode();
            var restored = CustomerSnapshot.Decode(orders.Key, bytes, Days, Retention);
            Assert.Equal(bytes, restored.Encode());
            Assert.Equal(41, restored.LastAppliedOffset);
            Assert.Equal((original.Tracker.State, original.Tracker.Segment, original.Tracker.BecameNewSinceEvaluation),
                (restored.Tracker.State, restored.Tracker.Segment, restored.Tracker.BecameNewSinceEvaluation));

            // Both go on with the same orders, and a re-sent order is a duplicate for both.
            foreach (var order in orders.Skip(half).Append(orders.First()))
                Assert.Equal(original.State.Apply(order), restored.State.Apply(order));
            Assert.Equal(Windows(original.State), Windows(restored.State));
            var end = orders.Max(o => o.Timestamp).AddDays(3);
            Assert.Equal(original.State.Summarize(end), restored.State.Summarize(end));
            Assert.Equal(original.Encode(), restored.Encode());
            AssertPendingWindowsRead(bytes, orders.Key);
            sizes.Add(bytes.Length);
        }

        sizes.Sort();
        Assert.Equal(4_372, sizes.Count);
        Assert.True(sizes[sizes.Count / 2] <= 300, $"median snapshot is {sizes[sizes.Count / 2]} bytes");
    }

    [Fact]
    public void Exact_decimals_survive_with_their_scale_sign_and_extremes()
    {
        var state = new CustomerState("c", Days, Retention);
        var at = DateTimeOffset.Parse("2011-01-01T00:00:00Z");
        decimal[] amounts = [0.10m, 1.000m, 79228162514264337593543950335m / 10m, 0.0000000000000000000000000001m];
        for (var i = 0; i < amounts.Length; i++)
            state.Apply(new OrderEvent($"o{i}", "c", at.AddHours(i), i == 1 ? OrderKind.Return : OrderKind.Purchase, amounts[i], null, null, null, []));
        var restored = Restore(new CustomerSnapshot(state, new CustomerTracker(), CustomerSnapshot.NoOffset));

        Assert.Equal(CustomerSnapshot.NoOffset, restored.LastAppliedOffset);
        Assert.Equal(state.PurchaseRevenue.ToString(), restored.State.PurchaseRevenue.ToString());
        Assert.Equal("1.000", restored.State.Refunded.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_customer_with_no_orders_is_a_handful_of_bytes()
    {
        var snapshot = new CustomerSnapshot(new CustomerState("c", Days, Retention), new CustomerTracker(), CustomerSnapshot.NoOffset);
        Assert.True(snapshot.Encode().Length < 32);
        Assert.Equal(snapshot.Encode(), Restore(snapshot).Encode());
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 9 })]
    [InlineData(new byte[] { 2, 0 })]
    [InlineData(new byte[] { 2, 0, 7, 0, 0 })]
    [InlineData(new byte[] { 2, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void Malformed_bytes_are_refused_with_a_reason_by_a_restore_and_a_revival_alike(byte[] bytes)
    {
        var error = Assert.Throws<InvalidDataException>(() => CustomerSnapshot.Decode("c", bytes, Days, Retention));
        Assert.Contains("snapshot", error.Message);
        Assert.Equal(error.Message, Assert.Throws<InvalidDataException>(() => CustomerSnapshot.AddPendingWindows("c", bytes, new PendingPeriods())).Message);
    }

    [Fact]
    public void Every_truncation_of_a_snapshot_is_refused_by_a_restore_and_a_revival_alike()
    {
        var state = new CustomerState("c", Days, Retention);
        state.Apply(new OrderEvent("o1", "c", DateTimeOffset.Parse("2011-01-01T10:00:00Z"), OrderKind.Purchase, 12.5m, "EU", "web", null, []));
        var bytes = new CustomerSnapshot(state, new CustomerTracker(), 3).Encode();
        for (var length = 0; length < bytes.Length; length++)
        {
            var cut = bytes[..length];
            var error = Assert.Throws<InvalidDataException>(() => CustomerSnapshot.Decode("c", cut, Days, Retention));
            Assert.Equal(error.Message, Assert.Throws<InvalidDataException>(() => CustomerSnapshot.AddPendingWindows("c", cut, new PendingPeriods())).Message);
        }
    }

    [Fact]
    public void Trailing_bytes_are_refused()
    {
        var bytes = new CustomerSnapshot(new CustomerState("c", Days, Retention), new CustomerTracker(), 3).Encode();
        Assert.Throws<InvalidDataException>(() => CustomerSnapshot.Decode("c", [.. bytes, 0], Days, Retention));
        Assert.Throws<InvalidDataException>(() => CustomerSnapshot.AddPendingWindows("c", [.. bytes, 0], new PendingPeriods()));
    }

    /// <summary>A restore reads, without building the customer, the periods of exactly the windows the customer would emit.</summary>
    private static void AssertPendingWindowsRead(byte[] bytes, string customerId)
    {
        var pending = new PendingPeriods();
        CustomerSnapshot.AddPendingWindows(customerId, bytes, pending);
        var expected = Windows(CustomerSnapshot.Decode(customerId, bytes, Days, Retention).State).Select(w => Days.IndexOf(w.WindowStart)).ToList();
        Assert.Equal(expected.Count, pending.Count);
        foreach (var index in expected)
        {
            var customers = new HashSet<string>();
            pending.TakeClosed(index + 1, customers);
            Assert.Equal([customerId], customers);
        }
        Assert.Equal(0, pending.Count);
    }

    private static List<ActivityWindow> Windows(CustomerState state)
    {
        var windows = new List<ActivityWindow>();
        state.TakeAllWindows(windows);
        return [.. windows.OrderBy(w => w.WindowStart)];
    }
}
