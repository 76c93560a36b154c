using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace StreamMetrics.Kafka.Producers;

/// <summary>
/// Sends dead letters to the dead-letter topic with the original key and value and the headers
/// <c>error</c>, <c>source-topic</c>, <c>source-partition</c> and <c>source-offset</c> (DESIGN §2).
/// </summary>
public sealed class DeadLetterProducer(RecordCollector records, string topic)
{
    /// <summary>Completes when the broker has the dead letter; faults when it cannot be delivered.</summary>
    /// <remarks>
    /// A value too large for the dead-letter topic (brokers default to 1 MB) is sent without its value and
    /// says so in <c>error</c>, rather than failing the pipeline over one bad record.
    /// </remarks>
    public async Task SendAsync(DeadLetter letter)
    {
        try
        {
            await ProduceAsync(letter);
        }
        catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.MsgSizeTooLarge && letter.Value is not null)
        {
            await ProduceAsync(letter with
            {
                Value = null,
                Error = $"{letter.Error} (the original value of {letter.Value.Length} bytes is left out: larger than {topic} accepts)",
            });
        }
    }

    private Task ProduceAsync(DeadLetter letter)
    {
        var headers = new Headers
        {
            { "error", Encoding.UTF8.GetBytes(letter.Error) },
            { "source-topic", Encoding.UTF8.GetBytes(letter.SourceTopic) },
            { "source-partition", Encoding.UTF8.GetBytes(letter.SourcePartition.ToString(CultureInfo.InvariantCulture)) },
            { "source-offset", Encoding.UTF8.GetBytes(letter.SourceOffset.ToString(CultureInfo.InvariantCulture)) },
        };
        return records.SendAsync(topic, new Message<byte[]?, byte[]?> { Key = letter.Key, Value = letter.Value, Headers = headers });
    }
}
