using System.Net;
using StreamMetrics.Testing;

namespace StreamMetrics.Worker.Tests.Integration;

public sealed class WrittenOutputTests
{
    [Fact]
    public void Differences_give_each_measurements_lines_and_the_times_they_span()
    {
        string[] expected =
        [
            "customer_activity,customer_id=12375 1322524800000000000 orders=1,revenue=227.2",
            "customer_activity,customer_id=12427 1322784000000000000 orders=0,refunded=60.48",
            "model,model=bgnbd,partition=3 1322697600000000000 r=0.8",
        ];

        var differences = WrittenOutput.Differences(expected, [expected[0]]);

        Assert.Contains("2 expected lines missing, 0 unexpected lines", differences);
        Assert.Contains("customer_activity: 1 lines at 1 times from 2011-12-02 00:00 to 2011-12-02 00:00", differences);
        Assert.Contains("model: 1 lines at 1 times from 2011-12-01 00:00 to 2011-12-01 00:00", differences);
    }

    [Fact]
    public async Task Missing_points_are_asked_for_alone_and_once_more_after_a_restart_of_influxd()
    {
        await using var influx = await InfluxdServer.StartAsync();
        await influx.CreateDatabaseAsync("explained");
        using var http = new HttpClient();
        using var written = await http.PostAsync($"{influx.Url}/write?db=explained", new StringContent("customer_activity,customer_id=1 orders=1i 1322524800000000000\n"));
        Assert.Equal(HttpStatusCode.NoContent, written.StatusCode);
        var actual = await WrittenOutput.PointsAsync(influx, "explained");
        string[] expected = [.. actual, "customer_activity,customer_id=2 1322524800000000000 orders=1"];

        var explained = await WrittenOutput.ExplainMissingAsync(influx, "explained", expected, actual);

        Assert.Contains("customer_activity,customer_id=2 1322524800000000000 → 0 rows", explained);
        Assert.Contains("influxd's last warnings and errors", explained);
        Assert.Contains("after a restart of influxd, 0 of the 1 missing lines are answered, and 0 unexpected ones", explained);
    }
}
