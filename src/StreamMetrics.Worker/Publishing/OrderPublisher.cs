using System.Text;
using StreamMetrics.Core.Orders;
using StreamMetrics.Kafka.Producers;

namespace StreamMetrics.Worker.Publishing;

/// <summary>Produces order events in the wire format of DESIGN §2: key = customerId, value = the JSON object.</summary>
public sealed class OrderPublisher(RecordProducer producer, string topic)
{
    private long _published;

    public long Published => Interlocked.Read(ref _published);

    public void Publish(OrderEvent order)
    {
        producer.Produce(topic, Encoding.UTF8.GetBytes(order.CustomerId), OrderJson.Serialize(order));
        Interlocked.Increment(ref _published);
    }
}
