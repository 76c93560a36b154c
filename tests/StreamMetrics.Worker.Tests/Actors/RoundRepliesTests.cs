using Akka.TestKit.Xunit2;
using StreamMetrics.Worker.Actors.Messages;

namespace StreamMetrics.Worker.Tests.Actors;

public sealed class RoundRepliesTests : TestKit
{
    [Fact]
    public void Answers_that_all_came_while_the_partition_was_still_sending_are_read_without_a_message()
    {
        var replies = new RoundReplies(TestActor, 2);
        replies.Expect();
        replies.Add(new CustomerOrdersApplied("a", []));
        replies.Expect();
        replies.Add(new CustomerOrdersApplied("b", []));

        Assert.True(replies.AllSent());
        Assert.Equal(["a", "b"], replies.Replies.ToArray().Select(r => r.CustomerId));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void The_last_of_many_customers_answering_at_once_tells_the_partition_once()
    {
        const int customers = 10_000;
        var replies = new RoundReplies(TestActor, customers);
        for (var i = 0; i < customers; i++) replies.Expect();

        Assert.False(replies.AllSent());
        Parallel.For(0, customers, i => replies.Add(new CustomerOrdersApplied($"c{i}", [])));

        Assert.Same(replies, ExpectMsg<RoundAnswered>().Replies);
        Assert.Equal(customers, replies.Replies.ToArray().Select(r => r.CustomerId).Distinct().Count());
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }
}
