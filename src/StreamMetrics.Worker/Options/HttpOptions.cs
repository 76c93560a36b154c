namespace StreamMetrics.Worker.Options;

/// <summary>The worker's HTTP listener: Prometheus metrics and health checks.</summary>
public sealed class HttpOptions
{
    /// <summary>host:port to listen on; loopback unless configured otherwise (DESIGN §6); empty turns the listener off.</summary>
    public string Listen { get; set; } = "127.0.0.1:9464";
}
