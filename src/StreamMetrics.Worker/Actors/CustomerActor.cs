using Akka.Actor;
using StreamMetrics.Worker.Actors.Messages;

namespace StreamMetrics.Worker.Actors;

/// <summary>A live customer: runs its <see cref="Customer"/> on each message, and stops once it has handed over its snapshot to passivate.</summary>
/// <remarks>
/// An <see cref="UntypedActor"/> created through props of its own: a partition creates one per customer
/// it revives, and a ReceiveActor's handler table or an expression-built Props costs more to set up than
/// the customer's whole first order.
/// </remarks>
public sealed class CustomerActor(Customer customer) : UntypedActor
{
    /// <remarks>
    /// The mailbox is named: left to Akka, every ActorOf asks the actor type for the mailbox it requires, through a Lazy
    /// and the type's interfaces (measured: 5 % of the worker's CPU, most of it waiting on that Lazy's lock). An actor
    /// system that runs customers is configured with <see cref="CustomerMailbox.Configuration"/>.
    /// </remarks>
    public static Props Props(Customer customer) => new CustomerProps(customer);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case CustomerWork work:
                var done = customer.Handle(work);
                // Once answered, the work is the partition's to reuse: nothing of it is read after.
                work.Replies!.Add(new CustomerAnswer(work.Orders, done));
                if (done is { Passivated: true } or { PastRetention: true }) Context.Stop(Self);
                break;
            case CustomerQuery query:
                Sender.Tell(customer.Summarize(query.Watermark));
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>
    /// The props of one customer: those of every customer, named mailbox and all, that produce its actor.
    /// </summary>
    /// <remarks>
    /// Naming the mailbox builds a <see cref="Deploy"/>, and each of Akka's Deploy constructors parses an empty HOCON
    /// document: as <c>Props.CreateBy(producer).WithMailbox(id)</c>, a customer's props cost 800 bytes (measured), a
    /// sixth of starting its actor. Here they are built once, and each customer's are a copy of them.
    /// </remarks>
    private sealed class CustomerProps(Customer customer) : Props(Shared)
    {
        private static readonly Props Shared = CreateBy(new SharedProducer()).WithMailbox(CustomerMailbox.Id);

#pragma warning disable AK1000 // this is where Akka asks props for their actor
        public override ActorBase NewActor() => new CustomerActor(customer);
#pragma warning restore AK1000

        // Akka copies props to change their deployment: the copy still produces this customer.
        protected override Props Copy() => new CustomerProps(customer) { Deploy = Deploy, SupervisorStrategy = SupervisorStrategy };
    }

    /// <summary>Names the actor type of the shared props; every actor is produced by a customer's own props.</summary>
    private sealed class SharedProducer : IIndirectActorProducer
    {
        public Type ActorType => typeof(CustomerActor);

        public ActorBase Produce() => throw new InvalidOperationException("a customer's actor is produced by the customer's own props");

        public void Release(ActorBase actor)
        {
        }
    }
}
