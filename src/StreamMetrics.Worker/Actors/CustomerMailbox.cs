using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace StreamMetrics.Worker.Actors;

/// <summary>
/// The mailbox of a customer actor: an unbounded queue that starts empty. A customer hears from its partition about
/// once a batch and has one sender, while Akka's default queue is a <c>ConcurrentQueue</c> whose first segment of 32 slots
/// (about 800 bytes) was 5.5 % of all the worker allocated in its steady phase, made anew for every actor.
/// </summary>
public sealed class CustomerMailbox(Settings settings, Config config) : MailboxType(settings, config), IProducesMessageQueue<CustomerMailbox.Queue>
{
    /// <summary>Where the actor system's configuration names this mailbox.</summary>
    public const string Id = "streammetrics-customer-mailbox";

    /// <summary>The configuration that names it, for every actor system that runs partitions.</summary>
    public static readonly Config Configuration = ConfigurationFactory.ParseString(
        $"{Id}.mailbox-type = \"{typeof(CustomerMailbox).AssemblyQualifiedName}\"");

    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new Queue();

    /// <summary>A <see cref="Queue{T}"/> under a lock: the sender and the actor rarely meet, so the lock is almost always free.</summary>
    public sealed class Queue : IMessageQueue, IUnboundedMessageQueueSemantics
    {
        private readonly Queue<Envelope> _envelopes = new();

        public bool HasMessages => Count > 0;

        public int Count
        {
            get
            {
                lock (_envelopes) return _envelopes.Count;
            }
        }

        public void Enqueue(IActorRef receiver, Envelope envelope)
        {
            lock (_envelopes) _envelopes.Enqueue(envelope);
        }

        public bool TryDequeue(out Envelope envelope)
        {
            lock (_envelopes) return _envelopes.TryDequeue(out envelope);
        }

        public void CleanUp(IActorRef owner, IMessageQueue deadletters)
        {
            while (TryDequeue(out var envelope)) deadletters.Enqueue(owner, envelope);
        }
    }
}
