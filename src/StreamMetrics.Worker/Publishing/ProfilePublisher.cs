using System.Text;
using StreamMetrics.Core.Profiles;
using StreamMetrics.Kafka.Producers;

namespace StreamMetrics.Worker.Publishing;

/// <summary>Produces customer profiles to the profiles topic: key = customerId, value = <see cref="ProfileJson"/>.</summary>
public sealed class ProfilePublisher(RecordProducer producer, string topic)
{
    public long Published { get; private set; }

    public void PublishAll(IEnumerable<(string CustomerId, IReadOnlyDictionary<string, string> Attributes)> profiles)
    {
        foreach (var (customerId, attributes) in profiles)
        {
            producer.Produce(topic, Encoding.UTF8.GetBytes(customerId), ProfileJson.Serialize(customerId, attributes));
            Published++;
        }
    }
}
