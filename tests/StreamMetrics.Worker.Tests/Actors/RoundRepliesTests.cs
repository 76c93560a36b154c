using Akka.TestKit.Xunit2;
using StreamMetrics.Worker.Actors.Messages;

namespace StreamMetrics.Worker.Tests.Actors;

public sealed class RoundRepliesTests : TestKit
{
    private static CustomerAnswer Applied(long offset) => CustomerAnswer.Applied([new OffsetOrder(offset, default)], null);

    [Fact]
    public void Answers_that_all_came_while_the_partition_was_still_sending_are_read_without_a_message()
    {
        var replies = new RoundReplies(TestActor, 2);
        replies.Expect();
        replies.Add(Applied(1));
        replies.Expect();
        replies.Add(Applied(2));

        Assert.True(replies.AllSent());
        Assert.Equal([1L, 2L], replies.Answers.ToArray().Select(a => a.Sent[0].Offset));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Replies_reused_for_the_next_round_start_empty_and_tell_the_partition_again()
    {
        var replies = new RoundReplies(TestActor, 2);
        replies.Expect();
        Assert.False(replies.AllSent());
        replies.Add(Applied(1));
        Assert.Same(replies, ExpectMsg<RoundAnswered>().Replies);

        Assert.False(replies.TryReuse(3));
        Assert.True(replies.TryReuse(2));
        Assert.Equal(0, replies.Answers.Length);
        replies.Expect();
        replies.Expect();
        Assert.False(replies.AllSent());
        replies.Add(Applied(2));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // one customer of two has answered
        replies.Add(Applied(3));

        Assert.Same(replies, ExpectMsg<RoundAnswered>().Replies);
        Assert.Equal([2L, 3L], replies.Answers.ToArray().Select(a => a.Sent[0].Offset));
    }

    [Fact]
    public void The_last_of_many_customers_answering_at_once_tells_the_partition_once()
    {
        const int customers = 10_000;
        var replies = new RoundReplies(TestActor, customers);
        for (var i = 0; i < customers; i++) replies.Expect();

        Assert.False(replies.AllSent());
        Parallel.For(0, customers, i => replies.Add(Applied(i)));

        Assert.Same(replies, ExpectMsg<RoundAnswered>().Replies);
        Assert.Equal(customers, replies.Answers.ToArray().Select(a => a.Sent[0].Offset).Distinct().Count());
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }
}
