using StreamMetrics.Testing;

namespace StreamMetrics.Influx.Tests.Integration;

/// <summary>One real influxd and one real victoria-metrics for the writer's round-trip tests.</summary>
public sealed class InfluxServersFixture : IAsyncLifetime
{
    public InfluxdServer Influxd { get; private set; } = null!;

    public VictoriaMetricsServer Victoria { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Influxd = await InfluxdServer.StartAsync();
        Victoria = await VictoriaMetricsServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Influxd.DisposeAsync();
        await Victoria.DisposeAsync();
    }
}

[CollectionDefinition(nameof(InfluxServersCollection))]
public sealed class InfluxServersCollection : ICollectionFixture<InfluxServersFixture>;
