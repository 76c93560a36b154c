namespace StreamMetrics.Worker.Tests.Integration;

[Collection(nameof(ServersCollection))]
public sealed class OnlineRetailEndToEndTests(ServersFixture servers)
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Every_customer_of_Online_Retail_adds_up_in_InfluxDB_with_the_published_segments_and_a_second_run_changes_nothing()
    {
        const string topic = OnlineRetailRun.Topic, database = OnlineRetailRun.Database;
        // The replay and the first run are shared with AskingInfluxTests, which asks that run's output the README's questions.
        var first = await OnlineRetailRun.EndTimeRunAsync(servers);
        Assert.True(first.ExitCode == 0, first.Stderr);
        string[] run = ["run", "--until-caught-up", "--end-time", "2011-12-10T00:00:00Z"];

        var expected = OnlineRetailCsv.PerCustomer();
        var actual = await ActivitySums.PerCustomerAsync(servers.Influx, database);
        Assert.Equal(4_372, expected.Count);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (customer, figures) in expected)
        {
            var sums = actual[customer];
            Assert.Equal((figures.Orders, figures.Returns), (sums.Orders, sums.Returns));
            Assert.Equal((double)figures.Revenue, sums.Revenue, 0.005);
            Assert.Equal((double)figures.Refunded, sums.Refunded, 0.005);
        }
        Assert.Equal(18_536, actual.Values.Sum(s => s.Orders));
        Assert.Equal(8_911_407.90, actual.Values.Sum(s => s.Revenue), 0.01);

        using (var segments = await servers.Influx.QueryAsync(database, "SELECT segment FROM customer_metrics WHERE time = '2011-12-10T00:00:00Z'"))
        {
            var counts = Testing.InfluxdServer.Series(segments).SelectMany(s => s.GetProperty("values").EnumerateArray())
                .CountBy(row => row[1].GetString()!).ToDictionary();
            Assert.Equal(new Dictionary<string, int>
            {
                ["champions"] = 794, ["loyal_customers"] = 624, ["lost"] = 780, ["hibernating"] = 558,
                ["potential_loyalist"] = 353, ["at_risk"] = 331, ["need_attention"] = 303, ["about_to_sleep"] = 297,
                ["promising"] = 166, ["new_customers"] = 67, ["cant_lose_them"] = 66, ["none"] = 33,
            }, counts);
        }

        var pointsBefore = await ActivitySums.AllPointsAsync(servers.Influx, database);
        // No pipeline points from this run: the README's lag query then answers for the first run's group.
        var second = await WorkerProcess.RunAsync([.. run, .. servers.WorkerSettings(topic, "retail-second", database),
            "--set", "Metrics:ReportInterval=01:00:00"], ProcessTimeout);
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Equal(pointsBefore, await ActivitySums.AllPointsAsync(servers.Influx, database));
    }
}
