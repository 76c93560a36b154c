using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using StreamMetrics.Core.Orders;
using StreamMetrics.Core.State;
using StreamMetrics.Core.Time;
using StreamMetrics.Worker.Actors;
using StreamMetrics.Worker.Actors.Messages;
using StreamMetrics.Worker.Options;

namespace StreamMetrics.Worker.Tests.Actors;

/// <summary>
/// The actors a partition runs its customers on, seen through Akka's telemetry: a customer's actor is no child of the
/// partition, so it is neither looked up by its path nor stopped by Akka with the partition.
/// </summary>
public sealed class CustomerActorsTests : TestKit
{
    private static readonly DateTimeOffset Day1 = DateTimeOffset.Parse("2011-01-10T00:00:00Z");
    private static readonly DateTimeOffset WallClock = DateTimeOffset.Parse("2026-01-01T00:00:00Z");
    private static readonly MetricsOptions Options = new() { PassivateAfter = TimeSpan.FromMinutes(1) };

    private const string Drained = "drained";

    private readonly TestProbe _started;
    private readonly IActorRef _partition;
    private long _offset;

    public CustomerActorsTests() : base(ConfigurationFactory.ParseString("akka.actor.telemetry.enabled = on").WithFallback(CustomerMailbox.Configuration))
    {
        _started = CreateTestProbe();
        Sys.EventStream.Subscribe(_started, typeof(ActorStarted));
        _partition = Sys.ActorOf(PartitionActor.Props(3, Options));
    }

    [Fact]
    public void A_passivated_customers_next_order_runs_on_an_actor_a_passivated_customer_left()
    {
        const int customers = 1_000; // as many as a partition keeps idle actors for
        Process(Batch("c", hour: 3, customers), WallClock);
        Assert.Equal(customers, StartedCustomerActors().Count);
        Assert.Equal(customers, Passivate(WallClock.AddMinutes(10)));

        Process(Batch("c", hour: 4, customers), WallClock.AddMinutes(10));

        Assert.Empty(StartedCustomerActors());
        // Each on its own customer: both its orders, and none of another's.
        _partition.Tell(new Checkpoint());
        var states = ExpectMsg<PartitionOutput>(TimeSpan.FromSeconds(30)).States.Where(s => s.Key.StartsWith('c')).ToList();
        Assert.Equal(customers, states.Count);
        Assert.All(states, s => Assert.Equal(2, CustomerSnapshot.Decode(s.Key, s.Value!, new PeriodWindows(Options.Period), Options.OrderIdRetention).State.RememberedOrderIds));
    }

    [Fact]
    public void A_stopped_partitions_customers_actors_live_or_idle_are_left_to_the_collector()
    {
        var actors = LiveAndIdleCustomerActors();
        Watch(_partition);

        _partition.Tell(new StopPartition());
        ExpectTerminated(_partition);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.Equal(0, actors.Count(actor => actor.IsAlive));
    }

    [Fact]
    public void A_customers_actor_that_failed_is_restarted_and_runs_the_next_customer()
    {
        Process(Batch("a", hour: 3, customers: 1), WallClock);
        var actor = Assert.Single(StartedCustomerActors());
        Assert.Equal(1, Passivate(WallClock.AddMinutes(10)));

        // Idle, it runs no customer to answer for: the actor fails, and its failure is logged with its path.
        EventFilter.Exception<InvalidOperationException>(source: actor.Path.ToString()).ExpectOne(() => actor.Tell(new CustomerQuery(Day1)));

        // A failed actor not restarted would hold the next customer's work, and its partition's answer, for ever.
        Process(Batch("b", hour: 4, customers: 1), WallClock.AddMinutes(10));
        Assert.Empty(StartedCustomerActors());
    }

    /// <summary>Fifty customers' actors running them and fifty idle, held weakly: no reference to them stays on the caller's stack.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private List<WeakReference> LiveAndIdleCustomerActors()
    {
        Process(Batch("idle", hour: 3, customers: 50), WallClock);
        Process(Batch("live", hour: 4, customers: 50), WallClock.AddMinutes(10));
        Assert.Equal(50, Passivate(WallClock.AddMinutes(10)));
        var actors = StartedCustomerActors();
        Assert.Equal(100, actors.Count);
        return [.. actors.Select(actor => new WeakReference(actor))];
    }

    /// <summary>
    /// The customers' actors started since last asked. Each is started before its first work, and so reported before the
    /// partition that sent the work answers.
    /// </summary>
    private List<IActorRef> StartedCustomerActors()
    {
        var started = new List<IActorRef>();
        while (_started.HasMessages)
            if (_started.ReceiveOne() is ActorStarted { ActorType: var type, Subject: var actor } && type == typeof(CustomerActor)) started.Add(actor);
        // The probe keeps the last message it received: not an actor's.
        _started.Ref.Tell(Drained);
        _started.ExpectMsg(Drained);
        return started;
    }

    private int Passivate(DateTimeOffset now)
    {
        _partition.Tell(new AdvanceIdle(now));
        return ExpectMsg<PartitionOutput>(TimeSpan.FromSeconds(30)).PassivatedCustomers;
    }

    private OffsetOrder[] Batch(string prefix, int hour, int customers) =>
        Enumerable.Range(0, customers).Select(i => new OffsetOrder(_offset, new OrderEvent($"o{_offset++}", $"{prefix}{i}",
            Day1.AddHours(hour).AddSeconds(i % 3600), OrderKind.Purchase, 10m, null, null, null, [new OrderItem("sku", null, 1, 10m)]))).ToArray();

    private void Process(OffsetOrder[] orders, DateTimeOffset wallClock)
    {
        _partition.Tell(new ProcessOrders(orders, orders[^1].Offset, wallClock));
        ExpectMsg<PartitionOutput>(TimeSpan.FromSeconds(30));
    }
}
