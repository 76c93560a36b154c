using Akka.Actor;
using Akka.Actor.Internal;
using Akka.Dispatch;

namespace StreamMetrics.Worker.Actors;

/// <summary>
/// The actors a partition runs its customers on: started under parents of their own, so that no one parent holds thousands
/// of children, and taken back from customers that passivate, for the next customers to run on.
/// </summary>
/// <remarks>
/// Akka.NET keeps a parent's children in an immutable map that it copies along its path for every child started (twice:
/// the name is reserved, then the child put in its place) and stopped (akkadotnet/akka.net#2545). Under the partition
/// itself, at 16,000 customers, those copies were 13.6 % of all the worker allocated in its steady phase. The partition
/// starts each customer on its parent's cell from its own thread, as <see cref="ActorSystem"/> starts top-level actors
/// from any thread (the map is swapped in by compare-and-exchange): no message of ours goes through the parent.
/// </remarks>
internal sealed class CustomerParents(IActorContext partition)
{
    private const int Count = 1024;
    // Bounds what idle actors hold (about a kilobyte each); beyond it, an actor taken back is stopped.
    private const int MaxIdle = 1024;
    private readonly ActorCell?[] _cells = new ActorCell?[Count];
    private readonly Stack<IActorRef> _idle = new();
    private long _sequence;
    private (MessageDispatcher Dispatcher, MailboxType Mailbox)? _resolved;

    /// <summary>An actor running <paramref name="customer"/>: one a customer left when it passivated, or a new one.</summary>
    /// <remarks>
    /// In a worker whose customers order less often than <c>PassivateAfter</c>, most orders revive a customer: an actor
    /// taken back spares each of them Akka's start of an actor and, later, its stop.
    /// </remarks>
    public IActorRef Run(Customer customer)
    {
        if (!_idle.TryPop(out var actor)) return Start(CustomerActor.Props(customer));
        actor.Tell(customer);
        return actor;
    }

    /// <summary>Takes back the actor of a customer that passivated or was forgotten, which runs no customer any more.</summary>
    public void TakeBack(IActorRef actor)
    {
        if (_idle.Count < MaxIdle) _idle.Push(actor);
        else actor.Tell(PoisonPill.Instance);
    }

    /// <remarks>
    /// Does what <see cref="ActorCell.ActorOf(Props, string)"/> does for a local child, less what every customer's props
    /// would resolve alike: the deployment configured for the child's path (none is, for a customer) and the dispatcher and
    /// mailbox its props name, with the mailbox's and the actor type's requirements checked. Akka resolves these anew for
    /// each child, through closures, a <see cref="Lazy{T}"/> and the types' interfaces: 540 of the 3,280 bytes a customer's
    /// start and first order took (<c>PartitionAllocationTests</c>). Here they are resolved once, through Akka, for the
    /// first customer.
    /// </remarks>
    private IActorRef Start(Props customer)
    {
        var sequence = ++_sequence;
        var index = (int)(sequence % Count);
        var cell = _cells[index] ??= Cell(partition.ActorOf(Props.Create<Parent>(), $"customers-{index}"));
        // Customer ids may hold any character, so actor names come from a sequence instead.
        var name = $"customer-{sequence}";
        var (dispatcher, mailbox) = _resolved ??= Resolve(cell.SystemImpl, customer);
        cell.ReserveChild(name);
        // The sequence is this parent's unique, nonzero uid for the child (an actor's uid tells its incarnations apart).
        var path = new ChildActorPath(cell.Self.Path, name, sequence);
        var actor = new LocalActorRef(cell.SystemImpl, customer, dispatcher, mailbox, (IInternalActorRef)cell.Self, path);
        cell.InitChild(actor);
        actor.Start();
        return actor;
    }

    private static (MessageDispatcher, MailboxType) Resolve(ActorSystemImpl system, Props customer)
    {
        var dispatcher = system.Dispatchers.Lookup(customer.Dispatcher);
        return (dispatcher, system.Mailboxes.GetMailboxType(customer, dispatcher.Configurator.Config));
    }

    private static ActorCell Cell(IActorRef parent) => (ActorCell)((ActorRefWithCell)parent).Underlying;

    /// <summary>Supervises its customers as the partition would (Akka's default strategy), and does nothing else.</summary>
    private sealed class Parent : UntypedActor
    {
        protected override void OnReceive(object message) => Unhandled(message);
    }
}
