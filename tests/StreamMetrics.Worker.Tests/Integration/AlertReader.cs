using System.Text;
using System.Text.Json;
using Confluent.Kafka;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>Reads an alerts topic from the start: each alert's JSON, with the record key added as "key".</summary>
public static class AlertReader
{
    public static List<JsonElement> ReadAll(string bootstrapServers, string topic, int expected)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers, GroupId = $"alert-reader-{Guid.NewGuid():N}", AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        consumer.Subscribe(topic);
        var alerts = new List<JsonElement>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (alerts.Count < expected && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is not { Message: { } message }) continue;
            var json = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(message.Value)!;
            json["key"] = JsonSerializer.SerializeToElement(Encoding.UTF8.GetString(message.Key));
            alerts.Add(JsonSerializer.SerializeToElement(json));
        }
        consumer.Close();
        return alerts;
    }
}
