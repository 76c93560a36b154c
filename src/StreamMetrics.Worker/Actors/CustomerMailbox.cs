using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace StreamMetrics.Worker.Actors;

/// <summary>
/// The mailbox of a customer actor: an unbounded queue of one node per message, like Akka's (JVM) single-consumer-only
/// unbounded mailbox. Akka.NET's default queue is a <c>ConcurrentQueue</c> whose first segment of 32 slots (about 800 bytes)
/// was 5.5 % of all the worker allocated in its steady phase, made anew for every actor, while a customer hears from its
/// partition about once a batch. A queue under a lock cost more: the partition and the customer met on it often enough
/// that spinning on the lock took 12 % of the worker's CPU.
/// </summary>
/// <remarks>
/// It does not declare the queue it produces (<see cref="IProducesMessageQueue{TQueue}"/>): for a mailbox that does, Akka
/// checks every new actor's type against the queue through the interfaces of both types, two arrays each start, while a
/// customer requires nothing of its queue.
/// </remarks>
public sealed class CustomerMailbox(Settings settings, Config config) : MailboxType(settings, config)
{
    /// <summary>Where the actor system's configuration names this mailbox.</summary>
    public const string Id = "streammetrics-customer-mailbox";

    /// <summary>The configuration that names it, for every actor system that runs partitions.</summary>
    public static readonly Config Configuration = ConfigurationFactory.ParseString(
        $"{Id}.mailbox-type = \"{typeof(CustomerMailbox).AssemblyQualifiedName}\"");

    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new Queue();

    /// <summary>
    /// Many senders, one reader (Akka runs a mailbox on one thread at a time): a sender swaps its node in as the newest and
    /// then links the one before to it (D. Vyukov's intrusive MPSC queue); the reader follows the links from a stub node.
    /// </summary>
    /// <remarks>
    /// Between a sender's swap and its link the queue looks empty to the reader; the sender schedules the mailbox only after
    /// linking, so the message is read then. The stub the reader leaves is the next sender's node: a customer hears from
    /// its partition about once a batch, and a node for each message lived from one batch to the next, long enough for
    /// the collector to copy it.
    /// </remarks>
    public sealed class Queue : IMessageQueue, IUnboundedMessageQueueSemantics
    {
        private Node _newest;
        private Node _stub; // read up to here; its Next is the oldest unread message
        private Node? _spare; // a stub the reader left, which no sender links to any more
        private int _count;

        public Queue() => _newest = _stub = new Node();

        public bool HasMessages => Volatile.Read(ref Volatile.Read(ref _stub).Next) is not null;

        public int Count => Volatile.Read(ref _count);

        public void Enqueue(IActorRef receiver, Envelope envelope)
        {
            var node = Interlocked.Exchange(ref _spare, null) ?? new Node();
            node.Envelope = envelope;
            node.Next = null;
            Interlocked.Increment(ref _count);
            var previous = Interlocked.Exchange(ref _newest, node);
            Volatile.Write(ref previous.Next, node);
        }

        public bool TryDequeue(out Envelope envelope)
        {
            var stub = _stub;
            var next = Volatile.Read(ref stub.Next);
            if (next is null)
            {
                envelope = default;
                return false;
            }
            envelope = next.Envelope;
            next.Envelope = default; // the node is the stub now: it holds on to no message
            Volatile.Write(ref _stub, next);
            // The sender that linked the old stub to the next node was the last to touch it.
            Volatile.Write(ref _spare, stub);
            Interlocked.Decrement(ref _count);
            return true;
        }

        public void CleanUp(IActorRef owner, IMessageQueue deadletters)
        {
            while (TryDequeue(out var envelope)) deadletters.Enqueue(owner, envelope);
        }

        private sealed class Node
        {
            public Envelope Envelope;
            public Node? Next;
        }
    }
}
