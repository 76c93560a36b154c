using Akka.Actor;

namespace StreamMetrics.Worker.Actors;

/// <summary>The actors a partition starts its customers under, so that no one parent holds thousands of children.</summary>
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
    private readonly ActorCell?[] _cells = new ActorCell?[Count];
    private long _sequence;

    public IActorRef Start(Props customer)
    {
        var sequence = ++_sequence;
        var index = (int)(sequence % Count);
        var cell = _cells[index] ??= Cell(partition.ActorOf(Props.Create<Parent>(), $"customers-{index}"));
        // Customer ids may hold any character, so actor names come from a sequence instead.
        return cell.ActorOf(customer, $"customer-{sequence}");
    }

    private static ActorCell Cell(IActorRef parent) => (ActorCell)((ActorRefWithCell)parent).Underlying;

    /// <summary>Supervises its customers as the partition would (Akka's default strategy), and does nothing else.</summary>
    private sealed class Parent : UntypedActor
    {
        protected override void OnReceive(object message) => Unhandled(message);
    }
}
