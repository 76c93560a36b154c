using Akka.Actor;
using Akka.Dispatch.MessageQueues;
using Akka.TestKit.Xunit2;
using StreamMetrics.Worker.Actors;

namespace StreamMetrics.Worker.Tests.Actors;

public sealed class CustomerMailboxTests() : TestKit(CustomerMailbox.Configuration)
{
    [Fact]
    public void Messages_leave_in_the_order_they_came_and_those_left_at_the_end_go_to_dead_letters()
    {
        var queue = new CustomerMailbox.Queue();
        for (var i = 0; i < 100; i++) queue.Enqueue(TestActor, new Envelope(i, TestActor));
        for (var i = 0; i < 60; i++)
        {
            Assert.True(queue.TryDequeue(out var envelope));
            Assert.Equal(i, envelope.Message);
        }
        var deadLetters = new UnboundedMessageQueue();

        queue.CleanUp(TestActor, deadLetters);

        Assert.False(queue.HasMessages);
        Assert.Equal(40, deadLetters.Count);
        Assert.True(deadLetters.TryDequeue(out var first));
        Assert.Equal(60, first.Message);
    }

    [Fact]
    public void Every_message_told_from_many_threads_at_once_arrives_once()
    {
        var echo = Sys.ActorOf(Props.Create(() => new Echo()).WithMailbox(CustomerMailbox.Id));

        Parallel.For(0, 10_000, i => echo.Tell(i, TestActor));

        Assert.Equal(Enumerable.Range(0, 10_000), ReceiveN(10_000).Cast<int>().Order());
    }

    [Fact]
    public void A_message_read_before_the_next_is_sent_leaves_its_node_for_the_next()
    {
        var queue = new CustomerMailbox.Queue();
        var envelope = new Envelope("work", TestActor);
        queue.Enqueue(TestActor, envelope);
        Assert.True(queue.TryDequeue(out _));

        var (read, before) = (0, GC.GetAllocatedBytesForCurrentThread());
        for (var i = 0; i < 1_000; i++)
        {
            queue.Enqueue(TestActor, envelope);
            if (queue.TryDequeue(out var message) && ReferenceEquals(message.Message, envelope.Message)) read++;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1_000, read);
        Assert.False(queue.HasMessages);
    }

    private sealed class Echo : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(message);
    }
}
