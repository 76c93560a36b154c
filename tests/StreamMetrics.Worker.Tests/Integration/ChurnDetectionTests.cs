using System.Text.Json;

namespace StreamMetrics.Worker.Tests.Integration;

[Collection(nameof(ServersCollection))]
public sealed class ChurnDetectionTests(ServersFixture servers)
{
    [Fact]
    public async Task Customers_flagged_at_risk_or_churned_match_the_simulated_dropouts()
    {
        const string topic = "simulated-churn", database = "simulated_churn";
        var truthFile = Path.Combine(Path.GetTempPath(), $"truth-{Guid.NewGuid():N}.csv");
        try
        {
            await servers.Influx.CreateDatabaseAsync(database);
            // Regular buyers (one purchase in ten days on average) who drop out after a repeat purchase with p ~ Beta(0.8, 2.4).
            var simulate = await WorkerProcess.RunAsync(
                ["simulate", "--customers", "3000", "--days", "365", "--seed", "7", "--behaviour", "3,30,0.8,2.4", "--truth", truthFile,
                 "--topic", topic, "--set", $"Kafka:BootstrapServers={servers.Kafka.BootstrapServers}"], TimeSpan.FromMinutes(3));
            Assert.True(simulate.ExitCode == 0, simulate.Stderr);

            // 2024-01-01 plus 365 days.
            var run = await WorkerProcess.RunAsync(
                ["run", "--until-caught-up", "--end-time", "2024-12-31T00:00:00Z", .. servers.WorkerSettings(topic, "simulated-churn", database)],
                TimeSpan.FromMinutes(5));
            Assert.True(run.ExitCode == 0, run.Stderr);

            var dead = File.ReadLines(truthFile).Skip(1).Select(line => line.Split(','))
                .Where(fields => fields[1] == "false").Select(fields => fields[0]).ToHashSet();
            using var final = await servers.Influx.QueryAsync(database,
                "SELECT churn_state FROM customer_metrics WHERE time = '2024-12-31T00:00:00Z' AND (churn_state = 'at_risk' OR churn_state = 'churned') GROUP BY customer_id");
            var flagged = Testing.InfluxdServer.Series(final)
                .Select(s => s.GetProperty("tags").GetProperty("customer_id").GetString()!)
                .ToHashSet();

            var truePositives = flagged.Count(dead.Contains);
            var precision = (double)truePositives / flagged.Count;
            var recall = (double)truePositives / dead.Count;
            Assert.True(precision >= 0.9 && recall >= 0.8, $"precision {precision:F3}, recall {recall:F3} ({flagged.Count} flagged, {dead.Count} dropped out)\n{run.Stderr}");
        }
        finally
        {
            File.Delete(truthFile);
        }
    }
}
