using System.Text.Json.Serialization;

namespace StreamMetrics.Bench.Peers;

/// <summary>What the bench reports of a peer: orders a second over the whole input and between 10 % and 90 % of it, and what it guarantees.</summary>
public sealed record PeerFigures(
    [property: JsonPropertyName("orders_per_s")] double OrdersPerSecond,
    [property: JsonPropertyName("steady_orders_per_s")] double SteadyOrdersPerSecond,
    [property: JsonPropertyName("guarantee")] string Guarantee);
