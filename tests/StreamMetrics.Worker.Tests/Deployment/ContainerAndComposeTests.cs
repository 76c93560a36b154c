using System.Net;
using System.Text.RegularExpressions;
using StreamMetrics.Worker.Hosting;

namespace StreamMetrics.Worker.Tests.Deployment;

/// <summary>
/// The Dockerfile, docker-compose.yml, Prometheus' and KEDA's files, read as Docker, Prometheus and KEDA
/// read them (no Docker on these machines): the image can serve HTTP and is reachable from outside its own
/// loopback, the host sees the worker on loopback only, Prometheus scrapes every worker, and KEDA's bounds
/// match the partitions compose creates.
/// </summary>
public sealed partial class ContainerAndComposeTests
{
    private static readonly string Dockerfile = RepositoryFiles.Read("Dockerfile");

    [Fact]
    public void The_worker_runs_on_the_ASP_NET_Core_runtime_image()
    {
        // The last stage is what runs; the worker's listener (metrics, health, live view) is ASP.NET Core.
        var stages = From().Matches(Dockerfile).Select(m => m.Groups["image"].Value).ToList();
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", stages[^1]);
    }

    [Fact]
    public void Inside_the_container_the_worker_listens_on_every_interface_and_exposes_that_port()
    {
        var listen = ContainerListener();
        Assert.Equal(IPAddress.Any, listen.Address);
        Assert.Contains(listen.Port, Expose().Matches(Dockerfile).Select(m => int.Parse(m.Groups["port"].Value)));
        // Outside a container the default stays on loopback.
        Assert.Equal("127.0.0.1:9464", new Worker.Options.HttpOptions().Listen);
    }

    [Fact]
    public void Compose_publishes_every_port_on_loopback_and_the_workers_listener_among_them()
    {
        var services = RepositoryFiles.Yaml("docker-compose.yml").Map("services");
        foreach (var (name, service) in services.Entries().Where(s => s.Value.Has("ports")))
            foreach (var port in service.List("ports").Texts())
                Assert.True(port.StartsWith("127.0.0.1:", StringComparison.Ordinal), $"service {name} publishes {port} beyond the host's loopback");

        var published = services.Map("worker").List("ports").Texts().Select(p => p.Split(':')).ToList();
        Assert.Contains(published, p => p.Length == 3 && int.Parse(p[2]) == ContainerListener().Port);
    }

    [Fact]
    public void Prometheus_in_compose_scrapes_the_workers_in_the_job_KEDA_reads()
    {
        var services = RepositoryFiles.Yaml("docker-compose.yml").Map("services");
        var prometheus = services.Map("prometheus");
        Assert.StartsWith("prom/prometheus:", prometheus.Text("image"));
        Assert.Contains("./config/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro", prometheus.List("volumes").Texts());

        var job = Assert.Single(RepositoryFiles.Yaml("config/prometheus/prometheus.yml").List("scrape_configs").Children);
        var discovery = Assert.Single(job.List("dns_sd_configs").Children);
        Assert.Equal(["worker"], discovery.List("names").Texts());
        Assert.True(services.Has("worker"));
        Assert.Equal(ContainerListener().Port, int.Parse(discovery.Text("port")));

        var trigger = Assert.Single(RepositoryFiles.Yaml("config/keda/scaledobject.yaml").Map("spec").List("triggers").Children);
        Assert.Contains($"job=\"{job.Text("job_name")}\"", trigger.Map("metadata").Text("query"));
    }

    [Fact]
    public void KEDA_scales_between_one_worker_and_the_partitions_compose_creates()
    {
        var kafka = RepositoryFiles.Yaml("docker-compose.yml").Map("services");
        var topics = string.Join("\n", kafka.Map("kafka-topics").List("command").Texts());
        var orders = int.Parse(OrdersPartitions().Match(topics).Groups["partitions"].Value);
        Assert.Equal(orders, int.Parse(kafka.Map("kafka").Map("environment").Text("KAFKA_NUM_PARTITIONS")));

        var spec = RepositoryFiles.Yaml("config/keda/scaledobject.yaml").Map("spec");
        Assert.Equal(orders, int.Parse(spec.Text("maxReplicaCount")));
        // The recommendation comes from the workers: at zero nothing would report it and nothing would scale up.
        Assert.Equal(1, int.Parse(spec.Text("minReplicaCount")));
    }

    [Fact]
    public void Grafana_reads_InfluxDB_with_InfluxQL_from_the_bucket_compose_gives_it()
    {
        var source = Assert.Single(RepositoryFiles.Yaml("config/grafana/provisioning/datasources/influxdb.yaml").List("datasources").Children);
        var json = source.Map("jsonData");
        Assert.Equal("InfluxQL", json.Text("version"));
        Assert.Equal("${INFLUX_BUCKET}", json.Text("dbName"));
        Assert.Equal("Token ${INFLUX_TOKEN}", source.Map("secureJsonData").Text("httpHeaderValue1"));

        var grafana = RepositoryFiles.Yaml("docker-compose.yml").Map("services").Map("grafana").Map("environment");
        var worker = RepositoryFiles.Yaml("docker-compose.yml").Map("services").Map("worker").Map("environment");
        Assert.Equal(worker.Text("STREAMMETRICS__Influx__Bucket"), grafana.Text("INFLUX_BUCKET"));
        Assert.Equal(worker.Text("STREAMMETRICS__Influx__Token"), grafana.Text("INFLUX_TOKEN"));
    }

    private static IPEndPoint ContainerListener()
    {
        var variable = $"{SettingsLoader.EnvironmentPrefix}Http__Listen";
        var match = Regex.Match(Dockerfile, $@"^ENV\s+{variable}=(?<value>\S+)\s*$", RegexOptions.Multiline);
        Assert.True(match.Success, $"the Dockerfile sets no {variable}");
        return IPEndPoint.Parse(match.Groups["value"].Value);
    }

    [GeneratedRegex(@"^FROM\s+(?<image>\S+)", RegexOptions.Multiline)]
    private static partial Regex From();

    [GeneratedRegex(@"^EXPOSE\s+(?<port>\d+)", RegexOptions.Multiline)]
    private static partial Regex Expose();

    [GeneratedRegex(@"--topic orders --partitions (?<partitions>\d+)")]
    private static partial Regex OrdersPartitions();
}
