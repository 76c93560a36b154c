using Akka.Actor;
using StreamMetrics.Worker.Actors.Messages;

namespace StreamMetrics.Worker.Actors;

/// <summary>A live customer: runs its <see cref="Customer"/> on each message, and stops once it has handed over its snapshot to passivate.</summary>
/// <remarks>
/// An <see cref="UntypedActor"/> created through its own producer: a partition creates one per customer
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
    public static Props Props(Customer customer) => Akka.Actor.Props.CreateBy(new Producer(customer)).WithMailbox(CustomerMailbox.Id);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case CustomerWork work:
                var reply = customer.Handle(work);
                work.Replies!.Add(reply);
                if (reply is CustomerWorkDone { Passivated: true } or CustomerWorkDone { PastRetention: true }) Context.Stop(Self);
                break;
            case CustomerQuery query:
                Sender.Tell(customer.Summarize(query.Watermark));
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private sealed class Producer(Customer customer) : IIndirectActorProducer
    {
        public Type ActorType => typeof(CustomerActor);

        public ActorBase Produce() => new CustomerActor(customer);

        public void Release(ActorBase actor)
        {
        }
    }
}
