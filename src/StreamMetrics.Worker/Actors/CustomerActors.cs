using Akka.Actor;
using Akka.Actor.Internal;
using Akka.Dispatch;
using Akka.Dispatch.SysMsg;
using Akka.Event;

namespace StreamMetrics.Worker.Actors;

/// <summary>
/// The actors a partition runs its customers on: started under a supervisor that keeps no map of them, and taken back from
/// customers that passivate, for the next customers to run on.
/// </summary>
/// <remarks>
/// Akka.NET keeps an actor's children in an immutable map that it copies along its path for every child started (twice:
/// the name is reserved, then the child put in its place) and stopped (akkadotnet/akka.net#2545). Under 1,024 parents a
/// partition, those copies were 740 of the 3,065 bytes a customer's start and first order took, and the map's nodes
/// lived long enough for the collector to copy them. A customer's actor needs no such map: the partition holds every
/// actor it runs a customer on, and none is looked up by its path. Its parent is a <see cref="Supervisor"/> instead.
/// <para>
/// Nothing else in Akka refers to an actor that is no one's child, so one that runs no customer is left to the collector
/// rather than stopped: once it has read its last message, it holds no thread and nothing holds it. Stopping them took
/// Akka a system message and a termination each, work that outlived a stopped partition: a worker restoring 50,000
/// customers in the same process restored them a third slower while the last worker's actors stopped.
/// </para>
/// </remarks>
internal sealed class CustomerActors(IActorContext partition)
{
    // Bounds what idle actors hold (about a kilobyte each); beyond it, an actor taken back is left to the collector.
    private const int MaxIdle = 1024;
    private readonly Stack<IActorRef> _idle = new();
    private long _sequence;
    private (Supervisor Supervisor, MessageDispatcher Dispatcher, MailboxType Mailbox)? _resolved;

    /// <summary>An actor running <paramref name="customer"/>: one a customer left when it passivated, or a new one.</summary>
    /// <remarks>
    /// In a worker whose customers order less often than <c>PassivateAfter</c>, most orders revive a customer: an actor
    /// taken back spares each of them Akka's start of an actor.
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
    }

    /// <remarks>
    /// Does what <see cref="ActorCell.ActorOf(Props, string)"/> does for a local child, less the map of children and what
    /// every customer's props would resolve alike: the deployment configured for the child's path (none is, for a
    /// customer) and the dispatcher and mailbox its props name, with the mailbox's and the actor type's requirements
    /// checked. Akka resolves these anew for each child, through closures, a <see cref="Lazy{T}"/> and the types'
    /// interfaces: 540 of the 3,280 bytes a customer's start and first order took (<c>PartitionAllocationTests</c>). Here
    /// they are resolved once, through Akka, for the first customer.
    /// </remarks>
    private IActorRef Start(Props customer)
    {
        var (supervisor, dispatcher, mailbox) = _resolved ??= Resolve(customer);
        var sequence = ++_sequence;
        // Customer ids may hold any character, so actor names come from a sequence instead, which is also the actor's
        // unique, nonzero uid (an actor's uid tells its incarnations apart).
        var path = new ChildActorPath(supervisor.Path, $"customer-{sequence}", sequence);
        var actor = new LocalActorRef(supervisor.System, customer, dispatcher, mailbox, supervisor, path);
        actor.Start();
        return actor;
    }

    private (Supervisor, MessageDispatcher, MailboxType) Resolve(Props customer)
    {
        var system = (ActorSystemImpl)partition.System;
        var dispatcher = system.Dispatchers.Lookup(customer.Dispatcher);
        var mailbox = system.Mailboxes.GetMailboxType(customer, dispatcher.Configurator.Config);
        return (new Supervisor(system, partition.Self.Path / "customers"), dispatcher, mailbox);
    }

    /// <summary>
    /// The parent of a partition's customers' actors, with no actor behind it: supervises them as Akka's default strategy
    /// would (a failure logged, the actor restarted on the customer it ran, or stopped where Akka would stop it).
    /// </summary>
    /// <remarks>Called on the threads of the customers' actors; keeps nothing, so has nothing to guard.</remarks>
    private sealed class Supervisor(ActorSystemImpl system, ActorPath path) : MinimalActorRef
    {
        public ActorSystemImpl System => system;

        public override ActorPath Path => path;

        public override IActorRefProvider Provider => system.Provider;

        /// <remarks>A child's <see cref="Supervise"/> and <see cref="DeathWatchNotification"/> leave nothing to do.</remarks>
        public override void SendSystemMessage(ISystemMessage message)
        {
            if (message is not Failed { Child: IInternalActorRef child, Cause: var cause }) return;
            system.EventStream.Publish(new Error(cause, child.Path.ToString(), typeof(Supervisor), cause.Message));
            if (SupervisorStrategy.DefaultDecider.Decide(cause) == Directive.Stop) child.Stop();
            else child.Restart(cause);
        }
    }
}
