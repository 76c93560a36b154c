using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Confluent.Kafka;
using StreamMetrics.Core.Orders;
using StreamMetrics.Influx.LineProtocol;
using StreamMetrics.Kafka;
using StreamMetrics.Worker.Pipeline;

namespace StreamMetrics.Bench.Peers;

/// <summary>
/// The yardstick of what a textbook Akka.NET application would do with the bench's orders (issue 18): a Confluent.Kafka
/// consume loop tells each order to its customer's actor, a child of one parent created on the customer's first order;
/// the actor keeps the customer's order count and revenue per event-time day and sends the day's new figures to a
/// writer actor, which writes them as line protocol to a file. Offsets are committed once the file is flushed past
/// them: at least once.
/// </summary>
/// <remarks>
/// Deliberately plain: no changelog, no deduplication on replay, no watermark (each order rewrites its day's line),
/// no backpressure (the loop tells as fast as it reads), no passivation.
/// </remarks>
public static class AkkaTellPeer
{
    public const string Name = "akka_tell";
    private const int OrdersPerCommit = 5_000;

    /// <summary>Runs the peer over the <paramref name="orders"/> of <paramref name="topic"/>, from its first record to its last commit.</summary>
    public static async Task<PeerFigures> RunAsync(KafkaClientSettings kafka, string topic, long orders, CancellationToken cancellation)
    {
        await using var sink = BenchSink.TemporaryFile($"bench-{Name}");
        var progress = new Progress();
        var system = ActorSystem.Create("akka-tell-peer", "akka.loglevel = WARNING");
        try
        {
            var writer = system.ActorOf(Props.Create(() => new DailyFiguresWriter(sink.Sink, progress)), "writer");
            var customers = system.ActorOf(Props.Create(() => new CustomersActor(writer)), "customers");
            return await ConsumeAsync(kafka, topic, orders, customers, writer, progress, cancellation);
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static async Task<PeerFigures> ConsumeAsync(KafkaClientSettings kafka, string topic, long orders, IActorRef customers, IActorRef writer,
        Progress progress, CancellationToken cancellation)
    {
        using var consumer = BenchConsumer.FromBeginning(kafka, topic, $"bench-{Name}");
        var validation = new OrderValidationOptions();
        var nextOffsets = new Dictionary<TopicPartition, Offset>();
        var steady = new SteadyState(orders);
        Stopwatch? clock = null;
        long read = 0, told = 0, committed = -1;
        try
        {
            // Until every order is read and the last checkpoint committed.
            while ((read < orders || committed < told) && !cancellation.IsCancellationRequested)
            {
                if (read < orders && consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } result)
                {
                    clock ??= Stopwatch.StartNew();
                    read++;
                    nextOffsets[result.TopicPartition] = result.Offset + 1;
                    if (OrderParser.TryParse(result.Message.Key, result.Message.Value, validation, out var order, out _))
                    {
                        customers.Tell(new PlaceOrder(order.CustomerId, DateOnly.FromDateTime(order.Timestamp.UtcDateTime),
                            order.Kind == OrderKind.Purchase ? order.Amount : -order.Amount));
                        told++;
                    }
                    if (read % OrdersPerCommit == 0 || read == orders)
                        writer.Tell(new Checkpoint(told, [.. nextOffsets.Select(next => new TopicPartitionOffset(next.Key, next.Value))]));
                }
                else if (read == orders)
                {
                    await Task.Delay(2, cancellation);
                }
                while (progress.Flushed.TryDequeue(out var flushed))
                {
                    consumer.Commit(flushed.Offsets);
                    committed = flushed.Orders;
                }
                if (clock is not null) steady.Observe(Interlocked.Read(ref progress.Applied), clock.Elapsed);
            }
            clock?.Stop();
        }
        finally
        {
            consumer.Close();
        }
        return new PeerFigures(read / Math.Max(clock?.Elapsed.TotalSeconds ?? 0, 1e-6), steady.Rate, "at_least_once");
    }

    /// <summary>One order for its customer: the day it belongs to by event time, and what it adds to the day's revenue (a refund subtracts).</summary>
    private sealed record PlaceOrder(string CustomerId, DateOnly Day, decimal Revenue);

    /// <summary>A customer's figures for one day after an order: the line that order leaves in the file.</summary>
    private sealed record DayFigures(string CustomerId, DateOnly Day, long Orders, decimal Revenue);

    /// <summary>The offsets to commit once the first <paramref name="Orders"/> orders told have their figures in the file.</summary>
    private sealed record Checkpoint(long Orders, IReadOnlyList<TopicPartitionOffset> Offsets);

    private sealed record Flush;

    /// <summary>What the actors tell the consume loop: the orders whose figures reached the writer, and the checkpoints flushed.</summary>
    private sealed class Progress
    {
        public long Applied;
        public ConcurrentQueue<Checkpoint> Flushed { get; } = new();
    }

    /// <summary>The parent of every customer's actor: creates it on the customer's first order.</summary>
    private sealed class CustomersActor : ReceiveActor
    {
        public CustomersActor(IActorRef writer)
        {
            Receive<PlaceOrder>(order =>
            {
                var name = Uri.EscapeDataString(order.CustomerId);
                var customer = Context.Child(name);
                if (customer.IsNobody()) customer = Context.ActorOf(Props.Create(() => new CustomerActor(order.CustomerId, writer)), name);
                customer.Forward(order);
            });
        }
    }

    /// <summary>One customer: count and revenue per event-time day, kept for as long as the run lasts.</summary>
    private sealed class CustomerActor : ReceiveActor
    {
        private readonly Dictionary<DateOnly, (long Orders, decimal Revenue)> _days = [];

        public CustomerActor(string customerId, IActorRef writer)
        {
            Receive<PlaceOrder>(order =>
            {
                var (orders, revenue) = _days.GetValueOrDefault(order.Day);
                _days[order.Day] = (orders + 1, revenue + order.Revenue);
                writer.Tell(new DayFigures(customerId, order.Day, orders + 1, revenue + order.Revenue));
            });
        }
    }

    /// <summary>Writes the figures it is sent to the file, and flushes it whenever a checkpoint's orders are all in, releasing the checkpoint.</summary>
    private sealed class DailyFiguresWriter : ReceiveActor
    {
        private readonly List<Point> _lines = [];
        private readonly Queue<Checkpoint> _checkpoints = new();
        private long _received;
        private bool _flushAsked;

        public DailyFiguresWriter(IPointSink sink, Progress progress)
        {
            Receive<DayFigures>(figures =>
            {
                _lines.Add(new Point("akka_tell_daily", [new("customer_id", figures.CustomerId)],
                    [new("orders", FieldValue.Integer(figures.Orders)), new("revenue", FieldValue.Float((double)figures.Revenue))],
                    new DateTimeOffset(figures.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)));
                _received++;
                Interlocked.Increment(ref progress.Applied);
                AskFlushWhenDue();
            });
            Receive<Checkpoint>(checkpoint =>
            {
                _checkpoints.Enqueue(checkpoint);
                AskFlushWhenDue();
            });
            ReceiveAsync<Flush>(async _ =>
            {
                _flushAsked = false;
                await sink.SubmitAsync(_lines, CancellationToken.None); // the file sink has written and flushed them when it returns
                _lines.Clear();
                while (_checkpoints.TryPeek(out var checkpoint) && checkpoint.Orders <= _received)
                    progress.Flushed.Enqueue(_checkpoints.Dequeue());
            });
        }

        private void AskFlushWhenDue()
        {
            if (_flushAsked || !_checkpoints.TryPeek(out var next) || next.Orders > _received) return;
            _flushAsked = true;
            Self.Tell(new Flush());
        }
    }
}
