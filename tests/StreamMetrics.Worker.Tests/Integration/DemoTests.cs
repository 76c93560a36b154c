namespace StreamMetrics.Worker.Tests.Integration;

[Collection(nameof(ServersCollection))]
public sealed class DemoTests(ServersFixture servers)
{
    [Fact]
    public async Task The_demo_with_nothing_configured_exits_0_and_leaves_line_protocol_that_influxd_accepts()
    {
        var output = Path.Combine(Path.GetTempPath(), $"demo-{Guid.NewGuid():N}.lp");
        try
        {
            var demo = await WorkerProcess.RunAsync(["demo", "--duration", "30s", "--out", output], TimeSpan.FromMinutes(3));

            Assert.True(demo.ExitCode == 0, demo.Stderr);
            Assert.Contains("points written", demo.Stdout);
            var lines = await File.ReadAllLinesAsync(output);
            Assert.NotEmpty(lines);
            Assert.All(lines, line => Assert.StartsWith("customer_activity,customer_id=", line));

            await servers.Influx.CreateDatabaseAsync("demo");
            using var http = new HttpClient();
            var response = await http.PostAsync($"{servers.Influx.Url}/write?db=demo&precision=ns", new ByteArrayContent(await File.ReadAllBytesAsync(output)));
            Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
        }
        finally
        {
            File.Delete(output);
        }
    }
}
