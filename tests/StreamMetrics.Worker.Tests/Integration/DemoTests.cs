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
            Assert.All(lines, line => Assert.Matches("^(customer_activity|customer_metrics|customer_events|segment_metrics|model|demand|demand_forecast),", line));
            Assert.Contains(lines, line => line.StartsWith("customer_activity,", StringComparison.Ordinal));
            Assert.Contains(lines, line => line.StartsWith("model,model=bgnbd ", StringComparison.Ordinal));
            Assert.Contains(lines, line => line.StartsWith("demand,level=total ", StringComparison.Ordinal));
            Assert.Contains(lines, line => line.StartsWith("demand_forecast,", StringComparison.Ordinal));
            // The simulated profiles make demographic segments: each attribute is a scheme, with the customers without a profile as unknown.
            foreach (var scheme in new[] { "age_band", "gender", "income_band" })
            {
                var points = lines.Where(line => line.StartsWith("segment_metrics,", StringComparison.Ordinal) && line.Contains($",scheme={scheme},")).ToList();
                Assert.Contains(points, line => line.Contains(",segment=unknown "));
                Assert.Contains(points, line => !line.Contains(",segment=unknown "));
            }

            await servers.Influx.CreateDatabaseAsync("demo");
            using var http = new HttpClient();
            // influxd takes at most 25 MB a request, so the file goes in chunks.
            foreach (var chunk in lines.Chunk(5_000))
            {
                var response = await http.PostAsync($"{servers.Influx.Url}/write?db=demo&precision=ns", new StringContent(string.Join('\n', chunk)));
                Assert.True(response.StatusCode == System.Net.HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
            }
        }
        finally
        {
            File.Delete(output);
        }
    }
}
