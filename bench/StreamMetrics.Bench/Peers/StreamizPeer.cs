using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StreamMetrics.Core.Orders;
using StreamMetrics.Influx.LineProtocol;
using StreamMetrics.Kafka;
using StreamMetrics.Kafka.State;
using StreamMetrics.Worker.Pipeline;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Processors;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.Stream;
using Streamiz.Kafka.Net.Table;

namespace StreamMetrics.Bench.Peers;

/// <summary>
/// The yardstick of what a textbook Streamiz (Kafka Streams for .NET) application would do with the bench's orders
/// (issue 18): the orders, keyed by customer, are parsed in a MapValues step, grouped by key, windowed by event-time
/// day and aggregated (order count and revenue) in an in-memory window store logged to a changelog topic; every
/// updated window is written as line protocol to a file through Foreach. At least once or exactly once, as asked.
/// </summary>
/// <remarks>
/// Deliberately plain: no watermark (each order rewrites its day's line), no record cache (so that every update
/// reaches the file, as in the other peers), one stream thread. Exactly once covers the changelog and the offsets,
/// not the file: a replay writes a window's line again.
/// </remarks>
public static class StreamizPeer
{
    private const string StoreName = "daily-figures";
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    // Warnings and errors to stderr, beside the bench's own lines. Streamiz keeps the factory in a static that its
    // later configurations read, so it lives as long as the process.
    private static readonly ILoggerFactory Loggers = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Warning)
        .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));

    /// <summary>The peer's name in the bench's figures for <paramref name="guarantee"/>.</summary>
    public static string Name(ProcessingGuarantee guarantee) => $"streamiz_{GuaranteeName(guarantee)}";

    /// <summary>
    /// Runs the peer over the <paramref name="orders"/> of <paramref name="topic"/>, from its first record to the last
    /// order counted; throws <see cref="PeerFailedException"/> when Streamiz fails or has not counted them all within 3 minutes.
    /// </summary>
    public static async Task<PeerFigures> RunAsync(KafkaClientSettings kafka, string topic, long orders, ProcessingGuarantee guarantee,
        CancellationToken cancellation)
    {
        // A fresh application per run: the dev cluster does not keep offsets committed inside a transaction, so a
        // reused one would read from the start while restoring a full changelog.
        var applicationId = $"bench-{Name(guarantee).Replace('_', '-')}-{Guid.NewGuid():N}";
        // Streamiz skips an internal topic that exists with the source's partitions; one it creates itself waits for
        // a controller the dev cluster does not have.
        await InternalTopic.EnsureAsync(kafka, $"{applicationId}-{StoreName}-changelog", topic, compacted: true, TimeSpan.FromSeconds(30));
        await using var sink = BenchSink.TemporaryFile($"bench-{Name(guarantee)}");
        var progress = new Progress();
        var config = new StreamConfig<ByteArraySerDes, ByteArraySerDes>
        {
            ApplicationId = applicationId,
            BootstrapServers = kafka.BootstrapServers,
            Guarantee = guarantee,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            Logger = Loggers,
        };
        using var stream = new KafkaStream(Topology(topic, sink.Sink, progress), config);
        string? error = null;
        stream.StateChanged += (_, state) =>
        {
            if (state == KafkaStream.State.ERROR) error ??= "Streamiz went to ERROR (its log above says why)";
        };
        var started = Stopwatch.StartNew();
        try
        {
            await stream.StartAsync(cancellation).WaitAsync(Deadline, cancellation);
        }
        catch (TimeoutException)
        {
            throw new PeerFailedException($"Streamiz did not start within {Deadline.TotalMinutes:F0} minutes");
        }

        var steady = new SteadyState(orders);
        while (progress.Done < orders && error is null)
        {
            if (started.Elapsed > Deadline)
                error = $"it counted {progress.Done:N0} of {orders:N0} orders within {Deadline.TotalMinutes:F0} minutes";
            else if (progress.SinceFirstRecord is { } elapsed)
                steady.Observe(progress.Done, elapsed);
            await Task.Delay(2, cancellation);
        }
        if (error is null && Interlocked.Read(ref progress.Applied) == 0) error = "no record was an order the parser accepts";
        if (error is not null) throw new PeerFailedException(error);
        steady.Observe(progress.Done, progress.SinceFirstRecord!.Value);
        return new PeerFigures(orders / Math.Max(steady.AllDoneAt!.Value.TotalSeconds, 1e-6), steady.Rate, GuaranteeName(guarantee));
    }

    private static string GuaranteeName(ProcessingGuarantee guarantee) => guarantee switch
    {
        ProcessingGuarantee.AT_LEAST_ONCE => "at_least_once",
        ProcessingGuarantee.EXACTLY_ONCE => "exactly_once",
        _ => throw new ArgumentOutOfRangeException(nameof(guarantee), guarantee, "not a guarantee the bench measures"),
    };

    private static Topology Topology(string topic, IPointSink sink, Progress progress)
    {
        var validation = new OrderValidationOptions();
        var builder = new StreamBuilder();
        builder.Stream(topic, new ByteArraySerDes(), new ByteArraySerDes(), new OrderTimeExtractor(validation))
            .MapValues(OrderEvent? (key, value, record) =>
            {
                Interlocked.CompareExchange(ref progress.FirstRecordAt, Stopwatch.GetTimestamp(), 0);
                if (OrderParser.TryParse(key, value, validation, out var order, out _)) return order;
                Interlocked.Increment(ref progress.Rejected);
                return null;
            })
            .Filter((_, order, _) => order is not null)
            .GroupByKey()
            // Orders up to a day late still count in their day: Streamiz's default grace drops them silently.
            .WindowedBy(TumblingWindowOptions.Of(Day, Day))
            .Aggregate(() => DailyFigures.None, (_, order, figures) => figures.Add(order!.Value),
                InMemoryWindows.As<byte[], DailyFigures>(StoreName)
                    .WithValueSerdes(new DailyFiguresSerDes())
                    .WithRetention(Day + Day)
                    .WithCachingDisabled())
            .ToStream()
            // An order counts once its window's new line is in the file: one line per order, a file write each.
            .Foreach((window, figures, _) =>
            {
                var point = new Point("streamiz_daily", [new("customer_id", Encoding.UTF8.GetString(window.Key))],
                    [new("orders", FieldValue.Integer(figures.Orders)), new("revenue", FieldValue.Float((double)figures.Revenue))],
                    DateTimeOffset.FromUnixTimeMilliseconds(window.Window.StartMs));
                sink.SubmitAsync([point], CancellationToken.None).AsTask().GetAwaiter().GetResult().GetAwaiter().GetResult();
                Interlocked.Increment(ref progress.Applied);
            });
        return builder.Build();
    }

    /// <summary>How far the topology has got: orders whose window is written, records that were not orders, and when the first record arrived.</summary>
    private sealed class Progress
    {
        public long Applied;
        public long Rejected;
        public long FirstRecordAt;

        public long Done => Interlocked.Read(ref Applied) + Interlocked.Read(ref Rejected);

        public TimeSpan? SinceFirstRecord => Interlocked.Read(ref FirstRecordAt) is var first and not 0 ? Stopwatch.GetElapsedTime(first) : null;
    }

    /// <summary>
    /// The order's event time, as a textbook extractor finds it: by parsing the record, so that every order is parsed
    /// twice, here and in MapValues. A record that is not an order keeps its partition's time and is dropped after parsing.
    /// </summary>
    private sealed class OrderTimeExtractor(OrderValidationOptions validation) : ITimestampExtractor
    {
        public long Extract(ConsumeResult<object, object> record, long partitionTime) =>
            OrderParser.TryParse(record.Message.Key as byte[], record.Message.Value as byte[], validation, out var order, out _)
                ? order.Timestamp.ToUnixTimeMilliseconds()
                : Math.Max(partitionTime, 0);
    }

    /// <summary>A customer's orders and revenue in one day window (a refund subtracts).</summary>
    private sealed record DailyFigures(long Orders, decimal Revenue)
    {
        public static readonly DailyFigures None = new(0, 0m);

        public DailyFigures Add(OrderEvent order) =>
            new(Orders + 1, Revenue + (order.Kind == OrderKind.Purchase ? order.Amount : -order.Amount));
    }

    /// <summary>The window store's value: the order count, then the revenue's four decimal words, little-endian.</summary>
    private sealed class DailyFiguresSerDes : AbstractSerDes<DailyFigures>
    {
        private const int Length = sizeof(long) + 4 * sizeof(int);

        public override byte[] Serialize(DailyFigures data, SerializationContext context)
        {
            var bytes = new byte[Length];
            BinaryPrimitives.WriteInt64LittleEndian(bytes, data.Orders);
            Span<int> words = stackalloc int[4];
            decimal.GetBits(data.Revenue, words);
            for (var i = 0; i < 4; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(sizeof(long) + i * sizeof(int)), words[i]);
            return bytes;
        }

        public override DailyFigures Deserialize(byte[] data, SerializationContext context)
        {
            Span<int> words = stackalloc int[4];
            for (var i = 0; i < 4; i++) words[i] = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(sizeof(long) + i * sizeof(int)));
            return new DailyFigures(BinaryPrimitives.ReadInt64LittleEndian(data), new decimal(words));
        }
    }
}
