using Akka.Actor;
using Akka.TestKit.Xunit2;
using StreamMetrics.Core.Customers;
using StreamMetrics.Core.Orders;
using StreamMetrics.Core.Time;
using StreamMetrics.Worker.Actors;
using StreamMetrics.Worker.Actors.Messages;

namespace StreamMetrics.Worker.Tests.Actors;

public sealed class CustomerActorTests() : TestKit(CustomerMailbox.Configuration)
{
    private static readonly DateTimeOffset Day1 = DateTimeOffset.Parse("2011-01-10T00:00:00Z");

    private static Customer NewCustomer(string customerId) => Customer.New(customerId, new PeriodWindows(TimeSpan.FromDays(1)), TimeSpan.FromDays(30));

    [Fact]
    public void A_customers_props_are_one_small_object_not_a_deployment_built_anew()
    {
        var customer = NewCustomer("a");
        CustomerActor.Props(customer); // the shared part, once a process

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) CustomerActor.Props(customer);
        var each = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;

        // A partition makes them for every customer it starts; naming the mailbox anew each time cost 800 bytes.
        Assert.True(each <= 128, $"a customer's props took {each} bytes");
    }

    [Fact]
    public void An_order_to_a_live_customer_is_applied_and_answered_without_allocating()
    {
        var customer = NewCustomer("a");
        var orders = Enumerable.Range(0, 3).Select(i =>
            new OffsetOrder(i, new OrderEvent($"o{i}", "a", Day1.AddHours(i), OrderKind.Purchase, 10m, null, null, null, [new OrderItem("sku", null, 1, 10m)]))).ToList();
        var work = new CustomerWork();
        work.Add(orders[0]);
        customer.Handle(work); // the customer's first order, and the code compiled, before measuring

        var answers = new CustomerAnswer[orders.Count];
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1; i < orders.Count; i++)
        {
            work.Clear();
            work.Add(orders[i]);
            answers[i] = customer.Handle(work);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.All(answers[1..], answer => Assert.True(answer is { Done: null, Event: null })); // every order applied, nothing else to say
        // The partition sends a live customer an order or two a batch; an answer of their own cost 32 bytes each.
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void A_customer_started_from_props_that_akka_copied_is_still_that_customer_in_its_own_mailbox()
    {
        var props = CustomerActor.Props(NewCustomer("a")).WithDispatcher("akka.actor.default-dispatcher");

        var actor = Sys.ActorOf(props);

        actor.Tell(new CustomerQuery(Day1), TestActor);
        Assert.Equal("a", ExpectMsg<CustomerSummary>().CustomerId);
        Assert.IsType<CustomerMailbox.Queue>(((ActorCell)((ActorRefWithCell)actor).Underlying).Mailbox!.MessageQueue);
    }
}
