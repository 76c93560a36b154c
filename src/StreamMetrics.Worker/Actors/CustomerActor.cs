using Akka.Actor;
using StreamMetrics.Worker.Actors.Messages;

namespace StreamMetrics.Worker.Actors;

/// <summary>
/// A live customer: runs its <see cref="Customer"/> on each message. Once it has handed over its snapshot to passivate (or
/// been forgotten) it holds no customer, until its partition hands it the next customer to run (a <see cref="Customer"/>
/// message) or lets it go to the collector.
/// </summary>
/// <remarks>
/// An <see cref="UntypedActor"/> created through props of its own: a partition creates one for each customer it
/// starts or revives while no actor is idle, and a ReceiveActor's handler table or an expression-built Props costs more
/// to set up than the customer's whole first order. The customer it runs is kept in those props, so that an actor Akka
/// restarts after a failure runs the customer it ran before.
/// </remarks>
public sealed class CustomerActor : UntypedActor
{
    private readonly CustomerProps _props;

    private CustomerActor(CustomerProps props) => _props = props;

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
                var answer = Running.Handle(work);
                // Let go of a customer that passivated or was forgotten: its partition takes the actor back for another.
                if (answer.Done is { Passivated: true } or { PastRetention: true }) _props.Customer = null;
                // Once answered, the work is the partition's to reuse: nothing of it is read after.
                work.Replies!.Add(answer);
                break;
            case Customer next:
                _props.Customer = next;
                break;
            case CustomerQuery query:
                Sender.Tell(Running.Summarize(query.Watermark));
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private Customer Running => _props.Customer ?? throw new InvalidOperationException($"{Self.Path} was sent work while it runs no customer");

    /// <summary>
    /// The props of one actor: those of every customer, named mailbox and all, and the customer the actor runs.
    /// </summary>
    /// <remarks>
    /// Naming the mailbox builds a <see cref="Deploy"/>, and each of Akka's Deploy constructors parses an empty HOCON
    /// document: as <c>Props.CreateBy(producer).WithMailbox(id)</c>, a customer's props cost 800 bytes (measured), a
    /// sixth of starting its actor. Here they are built once, and each customer's are a copy of them.
    /// </remarks>
    private sealed class CustomerProps(Customer? customer) : Props(Shared)
    {
        private static readonly Props Shared = CreateBy(new SharedProducer()).WithMailbox(CustomerMailbox.Id);

        /// <summary>Changed only by the actor, on its own thread.</summary>
        public Customer? Customer { get; set; } = customer;

#pragma warning disable AK1000 // this is where Akka asks props for their actor
        public override ActorBase NewActor() => new CustomerActor(this);
#pragma warning restore AK1000

        // Akka copies props to change their deployment: the copy still produces this customer.
        protected override Props Copy() => new CustomerProps(Customer) { Deploy = Deploy, SupervisorStrategy = SupervisorStrategy };
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
