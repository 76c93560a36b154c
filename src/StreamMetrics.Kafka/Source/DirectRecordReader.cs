using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;

namespace StreamMetrics.Kafka.Source;

/// <summary>
/// Takes a consumer's next record straight from librdkafka into a <see cref="RecordArena"/>, or through <c>Consume</c> when
/// none is waiting: the one call of the source's hot path; the group, assignment, commits and everything else stay
/// Confluent.Kafka's.
/// </summary>
/// <remarks>
/// <c>Consume</c> copies librdkafka's message into a boxed struct, then makes a message and a result of it: 196 of the
/// 1,270 bytes the worker allocated an order (bench, <c>--allocations</c>). Here a record costs nothing but its copy into
/// the arena (279 bytes through <c>Consume</c>, 15 here: <c>KafkaSourceAllocationTests</c>). librdkafka runs the rebalance
/// callbacks inside this poll as inside Confluent.Kafka's, which keeps what a handler throws for its next <c>Consume</c>:
/// the source calls <c>Consume</c> whenever this finds nothing, and at the end of every poll.
/// Confluent.Kafka keeps the client's native handle internal; it is taken by reflection, and when a version of the
/// package has none, <see cref="ReadsDirectly"/> says so and every read goes through <c>Consume</c>. Public for the bench's
/// bare consumer, which reads as the source does.
/// </remarks>
public sealed partial class DirectRecordReader
{
    private const string Library = "librdkafka";
    // The builds of librdkafka the package carries, in the order Confluent.Kafka tries them: the first that loads is the one
    // it uses (on Debian without libsasl2, the CentOS 8 build).
    private static readonly string[] Builds = [Library, "centos8-librdkafka.so", "alpine-librdkafka.so"];
    private readonly IConsumer<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> _consumer;
    private readonly RecordArena _arena;
    private readonly SafeHandle? _client;

    static DirectRecordReader() => NativeLibrary.SetDllImportResolver(typeof(DirectRecordReader).Assembly, (name, assembly, searchPath) =>
    {
        if (name != Library) return IntPtr.Zero;
        foreach (var build in Builds)
            if (NativeLibrary.TryLoad(build, assembly, searchPath, out var handle)) return handle;
        return IntPtr.Zero;
    });

    /// <param name="consumer">A consumer whose keys and values <paramref name="arena"/>'s deserializer copies, for the reads through <c>Consume</c>.</param>
    public DirectRecordReader(IConsumer<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> consumer, RecordArena arena)
    {
        (_consumer, _arena) = (consumer, arena);
        _client = typeof(Handle).GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(consumer.Handle)
            is SafeHandle { IsInvalid: false } client ? client : null;
    }

    /// <summary>Whether records come straight from librdkafka: false when the consumer's native handle is out of reach.</summary>
    public bool ReadsDirectly => _client is not null;

    /// <summary>
    /// The next record: <paramref name="direct"/>ly from librdkafka while one is waiting, else through <c>Consume</c>, which
    /// waits up to <paramref name="wait"/> and raises what a rebalance handler threw meanwhile; false when none came.
    /// </summary>
    /// <exception cref="ConsumeException">librdkafka handed over an error instead of a record.</exception>
    public bool TryRead(TimeSpan wait, out ConsumedRecord record, bool direct = true)
    {
        if (direct && TryReadDirectly(out record)) return true;
        var result = _consumer.Consume(wait);
        record = result is null ? default : new ConsumedRecord(result.Partition.Value, result.Offset.Value, result.Message.Key, result.Message.Value,
            result.Message.Timestamp.UtcDateTime);
        return result is not null;
    }

    private unsafe bool TryReadDirectly(out ConsumedRecord record)
    {
        record = default;
        if (_client is null) return false;
        var pointer = ConsumerPoll(_client.DangerousGetHandle(), 0);
        if (pointer == IntPtr.Zero) return false;
        try
        {
            ref readonly var message = ref *(NativeMessage*)pointer;
            if (message.Error != ErrorCode.NoError) throw ErrorOf(message);
            var milliseconds = MessageTimestamp(pointer, out var timestampType);
            record = new ConsumedRecord(message.Partition, message.Offset, _arena.Copy(Span(message.Key, message.KeyLength)),
                _arena.Copy(Span(message.Payload, message.Length)), new Timestamp(milliseconds, (TimestampType)timestampType).UtcDateTime);
            return true;
        }
        finally
        {
            MessageDestroy(pointer);
        }
    }

    private static unsafe ReadOnlySpan<byte> Span(IntPtr bytes, nuint length) => bytes == IntPtr.Zero ? [] : new ReadOnlySpan<byte>((void*)bytes, (int)length);

    /// <summary>The error as Confluent.Kafka words it: librdkafka's text in the payload, or the code's; a fatal one with its cause.</summary>
    private unsafe ConsumeException ErrorOf(in NativeMessage message)
    {
        Error error;
        if (message.Error == ErrorCode.Local_Fatal)
        {
            var reason = stackalloc byte[512];
            var code = FatalError(_client!.DangerousGetHandle(), reason, 512);
            error = new Error(code, Marshal.PtrToStringUTF8((IntPtr)reason) ?? "", isFatal: true);
        }
        else
        {
            var reason = message.Payload != IntPtr.Zero ? Encoding.UTF8.GetString(Span(message.Payload, message.Length)) : Marshal.PtrToStringUTF8(ErrorText(message.Error));
            error = new Error(message.Error, reason, isFatal: false);
        }
        return new ConsumeException(new ConsumeResult<byte[], byte[]>
        {
            TopicPartitionOffset = new TopicPartitionOffset(null, message.Partition, message.Offset),
            Message = new Message<byte[], byte[]>(),
        }, error);
    }

    /// <summary>librdkafka's <c>rd_kafka_message_t</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct NativeMessage
    {
        public readonly ErrorCode Error;
        public readonly IntPtr Topic;
        public readonly int Partition;
        public readonly IntPtr Payload;
        public readonly nuint Length;
        public readonly IntPtr Key;
        public readonly nuint KeyLength;
        public readonly long Offset;
        public readonly IntPtr Private;
    }

    [LibraryImport(Library, EntryPoint = "rd_kafka_consumer_poll")]
    private static partial IntPtr ConsumerPoll(IntPtr client, int timeoutMilliseconds);

    [LibraryImport(Library, EntryPoint = "rd_kafka_message_timestamp")]
    private static partial long MessageTimestamp(IntPtr message, out int timestampType);

    [LibraryImport(Library, EntryPoint = "rd_kafka_message_destroy")]
    private static partial void MessageDestroy(IntPtr message);

    [LibraryImport(Library, EntryPoint = "rd_kafka_fatal_error")]
    private static unsafe partial ErrorCode FatalError(IntPtr client, byte* reason, nuint reasonSize);

    [LibraryImport(Library, EntryPoint = "rd_kafka_err2str")]
    private static partial IntPtr ErrorText(ErrorCode code);
}
