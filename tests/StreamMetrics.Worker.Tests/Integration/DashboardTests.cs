using System.Text.Json;
using System.Text.RegularExpressions;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>
/// The Grafana dashboards of <c>config/grafana/dashboards</c> load, and every Flux query in them names
/// only measurements, fields and tags that a real run of the worker wrote to a real InfluxDB.
/// </summary>
[Collection(nameof(ServersCollection))]
public sealed partial class DashboardTests(ServersFixture servers)
{
    [Fact]
    public async Task Every_dashboard_loads_and_every_query_names_only_what_the_worker_writes()
    {
        var dashboards = Directory.GetFiles(Path.Combine(RepositoryRoot(), "config", "grafana", "dashboards"), "*.json");
        Assert.Equal(["demand.json", "engagement.json", "operations.json"], dashboards.Select(Path.GetFileName).Order());
        var queries = new List<(string Dashboard, string Panel, string Query)>();
        foreach (var file in dashboards)
        {
            using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(file));
            Assert.False(string.IsNullOrEmpty(dashboard.RootElement.GetProperty("uid").GetString()), file);
            Assert.False(string.IsNullOrEmpty(dashboard.RootElement.GetProperty("title").GetString()), file);
            var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().ToList();
            Assert.NotEmpty(panels);
            foreach (var panel in panels)
            {
                var targets = panel.GetProperty("targets").EnumerateArray().ToList();
                Assert.NotEmpty(targets);
                queries.AddRange(targets.Select(t => (Path.GetFileName(file), panel.GetProperty("title").GetString()!, t.GetProperty("query").GetString()!)));
            }
        }

        const string topic = "dashboards-cdnow", database = "dashboards";
        await servers.Influx.CreateDatabaseAsync(database);
        await servers.ReplayCdnowAsync(topic);
        var run = await WorkerProcess.RunAsync(["run", "--until-caught-up", "--end-time", "1998-07-01T00:00:00Z", .. servers.WorkerSettings(topic, topic, database),
            "--set", "Metrics:ReportInterval=00:00:01"], TimeSpan.FromMinutes(5));
        Assert.True(run.ExitCode == 0, run.Stderr);

        var schemas = new Dictionary<string, HashSet<string>>();
        foreach (var (dashboard, panel, query) in queries)
            foreach (var source in query.Split("from(bucket:").Skip(1))
            {
                var measurements = Measurement().Matches(source).Select(m => m.Groups[1].Value).Distinct().ToList();
                Assert.True(measurements.Count > 0, $"{dashboard} '{panel}': a query reads no measurement");
                var names = Field().Matches(source).Select(m => m.Groups[1].Value)
                    .Concat(Reference().Matches(source).Select(m => m.Groups[1].Value))
                    .Concat(Columns().Matches(source).SelectMany(m => Quoted().Matches(m.Groups[1].Value).Select(q => q.Groups[1].Value)))
                    .Where(name => !name.StartsWith('_'))
                    .Distinct();
                foreach (var measurement in measurements)
                {
                    if (!schemas.TryGetValue(measurement, out var written))
                    {
                        schemas[measurement] = written = await WrittenAsync(database, measurement);
                        // A demand key's tag is named after its level and written only when that level has keys: CDNOW has
                        // no regions, categories or SKUs, so those names stand for themselves here.
                        if (measurement is "demand" or "demand_forecast") written.UnionWith(["region", "category", "sku"]);
                    }
                    Assert.True(written.Count > 0, $"{dashboard} '{panel}': the worker wrote no '{measurement}'");
                    foreach (var name in names)
                        Assert.True(written.Contains(name), $"{dashboard} '{panel}': '{measurement}' has no field or tag '{name}'; it has {string.Join(", ", written.Order())}");
                }
            }
    }

    /// <summary>The field and tag keys of a measurement in the database.</summary>
    private async Task<HashSet<string>> WrittenAsync(string database, string measurement)
    {
        var keys = new HashSet<string>();
        foreach (var statement in new[] { $"SHOW FIELD KEYS FROM \"{measurement}\"", $"SHOW TAG KEYS FROM \"{measurement}\"" })
        {
            using var result = await servers.Influx.QueryAsync(database, statement);
            foreach (var series in Testing.InfluxdServer.Series(result))
                foreach (var row in series.GetProperty("values").EnumerateArray())
                    keys.Add(row[0].GetString()!);
        }
        return keys;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "StreamMetrics.sln"))) return directory.FullName;
        throw new DirectoryNotFoundException($"no StreamMetrics.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"r\._measurement == ""([^""]+)""")]
    private static partial Regex Measurement();

    [GeneratedRegex(@"r\._field == ""([^""]+)""")]
    private static partial Regex Field();

    /// <summary>r.name outside the underscore columns: a tag in a filter, or a pivoted field in a map.</summary>
    [GeneratedRegex(@"\br\.([a-z][a-z0-9_]*)")]
    private static partial Regex Reference();

    [GeneratedRegex(@"(?:columns|rowKey): \[([^\]]*)\]")]
    private static partial Regex Columns();

    [GeneratedRegex(@"""([^""]+)""")]
    private static partial Regex Quoted();
}
