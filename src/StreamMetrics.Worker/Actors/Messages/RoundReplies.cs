using Akka.Actor;

namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>
/// Where the customers of one round of a partition put their answers to its <see cref="CustomerWork"/>: the last one to
/// answer tells the partition, with <see cref="RoundAnswered"/>, so that a round costs the partition one message however
/// many customers it reached. The partition reads the answers once told, or once it sees that all came while it was
/// still sending.
/// </summary>
/// <param name="capacity">At most how many customers the round reaches.</param>
public sealed class RoundReplies(IActorRef partition, int capacity)
{
    private readonly CustomerAnswer[] _answers = new CustomerAnswer[capacity];
    private int _written;
    private int _outstanding = 1; // the partition's own, until it has sent the round's last work

    /// <summary>The answers, in the order they came; read by the partition once all have come.</summary>
    public ReadOnlySpan<CustomerAnswer> Answers => _answers.AsSpan(0, _written);

    /// <summary>Called by the partition before it sends a customer its work.</summary>
    public void Expect() => Interlocked.Increment(ref _outstanding);

    /// <summary>Called by a customer: its answer, written before the count that lets the partition read it.</summary>
    public void Add(CustomerAnswer answer)
    {
        _answers[Interlocked.Increment(ref _written) - 1] = answer;
        if (Interlocked.Decrement(ref _outstanding) == 0) partition.Tell(new RoundAnswered(this));
    }

    /// <summary>Called by the partition once it has sent every work: whether every customer has answered already.</summary>
    public bool AllSent() => Interlocked.Decrement(ref _outstanding) == 0;
}

/// <summary>Every customer of <paramref name="Replies"/>'s round has answered.</summary>
public sealed record RoundAnswered(RoundReplies Replies);
