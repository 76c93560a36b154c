using Akka.Actor;
using StreamMetrics.Worker.Actors.Messages;

namespace StreamMetrics.Worker.Actors;

/// <summary>A live customer: runs its <see cref="Customer"/> on each message, and stops once it has handed over its snapshot to passivate.</summary>
public sealed class CustomerActor : ReceiveActor
{
    public CustomerActor(Customer customer)
    {
        Receive<CustomerWork>(work =>
        {
            Sender.Tell(customer.Handle(work));
            if (work.Passivate) Context.Stop(Self);
        });
        Receive<CustomerQuery>(query => Sender.Tell(customer.Summarize(query.Watermark)));
    }

    public static Props Props(Customer customer) => Akka.Actor.Props.Create(() => new CustomerActor(customer));
}
