using Akka.Actor;

namespace StreamMetrics.Worker.Actors.Messages;

/// <summary>
/// Where the customers of one round of a partition put their answers to its <see cref="CustomerWork"/>: the last one to
/// answer tells the partition, with <see cref="RoundAnswered"/>, so that a round costs the partition one message however
/// many customers it reached. The partition reads the answers once told, or once it sees that all came while it was
/// still sending.
/// </summary>
/// <param name="capacity">At most how many customers the round reaches.</param>
/// <remarks>Reused from round to round: a new one for each was one of the larger shares of an order's bytes.</remarks>
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

    /// <summary>
    /// Makes these replies those of the partition's next round, of at most <paramref name="capacity"/> customers; false when
    /// they would not fit. Only once every answer was read: no customer holds them then, and no <see cref="RoundAnswered"/>
    /// for them is on its way.
    /// </summary>
    public bool TryReuse(int capacity)
    {
        if (capacity > _answers.Length) return false;
        Array.Clear(_answers, 0, _written); // what the answers hold is the last round's, for the collector
        (_written, _outstanding) = (0, 1);
        return true;
    }
}

/// <summary>Every customer of <paramref name="Replies"/>'s round has answered.</summary>
public sealed record RoundAnswered(RoundReplies Replies);
