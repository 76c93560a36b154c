using Akka.Actor;
using Akka.TestKit.Xunit2;
using StreamMetrics.Core.Orders;
using StreamMetrics.Worker.Actors;
using StreamMetrics.Worker.Actors.Messages;
using StreamMetrics.Worker.Options;

namespace StreamMetrics.Worker.Tests.Actors;

/// <summary>Bytes are counted for the whole process, on all the threads the actors run on: nothing else may run meanwhile.</summary>
[CollectionDefinition(nameof(AloneCollection), DisableParallelization = true)]
public sealed class AloneCollection;

[Collection(nameof(AloneCollection))]
public sealed class PartitionAllocationTests() : TestKit(CustomerMailbox.Configuration)
{
    private const int Customers = 2_000;
    private static readonly DateTimeOffset Day1 = DateTimeOffset.Parse("2011-01-10T00:00:00Z");
    private static readonly DateTimeOffset WallClock = DateTimeOffset.Parse("2026-01-01T00:00:00Z");

    private long _offset;

    [Fact]
    public void An_order_to_a_live_customer_costs_its_partition_and_its_actor_a_few_dozen_bytes()
    {
        var partition = Sys.ActorOf(PartitionActor.Props(3, new MetricsOptions()));
        // Every path compiled and every spare map and work made before measuring: customers of their own, started and sent
        // a second order.
        for (var warmUp = 0; warmUp < 5; warmUp++)
        {
            Process(partition, Batch($"w{warmUp}-", hour: 1));
            Process(partition, Batch($"w{warmUp}-", hour: 2));
        }
        var (firstOrders, secondOrders) = (Batch("c", hour: 3), Batch("c", hour: 4));

        var starts = BytesEach(() => Process(partition, firstOrders));
        var live = BytesEach(() => Process(partition, secondOrders));

        // An order to a live customer: 2-19 bytes (mostly 2), 18-26 while each round's replies were new, 58 while each
        // message to a customer took a node of its own, 170 before the customers' work was reused and an answer that only
        // applied orders was no object. A start (Akka.NET's actor, the customer's state and its first answer): 1,667-1,691
        // bytes; 1,948-1,980 while a new customer's answer was an object with a list of its "new customer" event and its
        // state's lists were list objects, 2,676-2,720 while each actor was a child in a parent's map, 2,740 while the mailbox
        // declared its queue, 3,280 while Akka resolved each customer's deployment, dispatcher and mailbox anew.
        Assert.True(live <= 32, $"an order to a live customer took {live} bytes (a start and its first order {starts})");
        Assert.True(starts <= 1_850, $"a customer's start and its first order took {starts} bytes");
    }

    [Fact]
    public void A_passivated_customer_revived_on_the_actor_a_passivated_customer_left_costs_no_start()
    {
        const int customers = 1_000; // as many as a partition keeps idle actors for
        var options = new MetricsOptions { PassivateAfter = TimeSpan.FromMinutes(1) };
        var (passivatedAt, passivatedAgainAt) = (WallClock.AddMinutes(10), WallClock.AddMinutes(20));
        // Every path compiled, on a partition of its own: customers started, passivated, revived and passivated again.
        var warmUp = Sys.ActorOf(PartitionActor.Props(3, options));
        Process(warmUp, Batch("w", hour: 1, customers), WallClock);
        Passivate(warmUp, passivatedAt);
        Process(warmUp, Batch("w", hour: 2, customers), passivatedAt);
        Passivate(warmUp, passivatedAgainAt);

        var partition = Sys.ActorOf(PartitionActor.Props(3, options));
        Process(partition, Batch("c", hour: 3, customers), WallClock);
        Assert.Equal(customers, Passivate(partition, passivatedAt));
        var revivals = BytesEach(() => Process(partition, Batch("c", hour: 4, customers), passivatedAt), customers);

        // A revival decodes the customer's snapshot: 941 bytes with its order; 2,304-2,423 with an actor started for each.
        Assert.True(revivals <= 1_200, $"a revival and its order took {revivals} bytes");
    }

    private int Passivate(IActorRef partition, DateTimeOffset now)
    {
        partition.Tell(new AdvanceIdle(now));
        return ExpectMsg<PartitionOutput>(TimeSpan.FromSeconds(30)).PassivatedCustomers;
    }

    private static long BytesEach(Action run, int customers = Customers)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        run();
        return (GC.GetTotalAllocatedBytes(precise: true) - before) / customers;
    }

    /// <summary>One order for each of the customers named with <paramref name="prefix"/>, within the hour: one day, no window closes.</summary>
    private OffsetOrder[] Batch(string prefix, int hour, int customers = Customers) =>
        Enumerable.Range(0, customers).Select(i => new OffsetOrder(_offset, new OrderEvent($"o{_offset++}", $"{prefix}{i}",
            Day1.AddHours(hour).AddSeconds(i % 3600), OrderKind.Purchase, 10m, null, null, null, [new OrderItem("sku", null, 1, 10m)]))).ToArray();

    private void Process(IActorRef partition, OffsetOrder[] orders) => Process(partition, orders, WallClock);

    private void Process(IActorRef partition, OffsetOrder[] orders, DateTimeOffset wallClock)
    {
        partition.Tell(new ProcessOrders(orders, orders[^1].Offset, wallClock));
        ExpectMsg<PartitionOutput>(TimeSpan.FromSeconds(30));
    }
}
