using StreamMetrics.Influx.Target;
using StreamMetrics.Influx.Tests.Writing;
using StreamMetrics.Influx.Writing;

namespace StreamMetrics.Influx.Tests.Target;

/// <summary>The v1 start-up check on answers a shared influxd cannot be made to give (it holds other tests' databases).</summary>
public sealed class InfluxTargetCheckV1Tests
{
    [Fact]
    public async Task A_server_without_any_database_names_the_missing_one()
    {
        // influxd 1.x answers SHOW DATABASES on a server without databases with a series that has no values.
        await using var stub = new StubInfluxServer((index, _) => index == 0
            ? new StubAnswer(204, Headers: [("X-Influxdb-Version", "1.6.7")])
            : new StubAnswer(200, """{"results":[{"statement_id":0,"series":[{"name":"databases","columns":["name"]}]}]}"""));

        var result = await new InfluxTargetCheck(new InfluxOptions { Url = stub.Url, Database = "orders" }).CheckAsync(CancellationToken.None);

        Assert.Equal(InfluxTargetStatus.Missing, result.Status);
        Assert.Contains("'orders'", result.Message);
    }
}
