using StreamMetrics.Influx.Target;
using StreamMetrics.Influx.Writing;
using StreamMetrics.Testing;

namespace StreamMetrics.Influx.Tests.Integration;

/// <summary>The start-up check of the v1 target against a real influxd, and of either path against a server that cannot say (VictoriaMetrics).</summary>
[Collection(nameof(InfluxServersCollection))]
public sealed class InfluxTargetCheckTests(InfluxServersFixture servers)
{
    [Fact]
    public async Task An_existing_database_is_ready_and_a_missing_one_is_named_with_how_to_create_it()
    {
        await servers.Influxd.CreateDatabaseAsync("check_present");

        var present = await CheckAsync(new InfluxOptions { Url = servers.Influxd.Url, Database = "check_present" });
        var missing = await CheckAsync(new InfluxOptions { Url = servers.Influxd.Url, Database = "check_absent" });

        Assert.Equal(InfluxTargetStatus.Ready, present.Status);
        Assert.True(present.CanWrite);
        Assert.Equal(InfluxTargetStatus.Missing, missing.Status);
        Assert.True(missing.IsConfigurationProblem);
        Assert.Equal($"Influx:Database 'check_absent' does not exist on {servers.Influxd.Url}; create it with CREATE DATABASE \"check_absent\"", missing.Message);
    }

    [Fact]
    public async Task A_retention_policy_the_database_lacks_is_named()
    {
        await servers.Influxd.CreateDatabaseAsync("check_rp");
        await servers.Influxd.QueryAsync(null, "CREATE RETENTION POLICY \"week\" ON \"check_rp\" DURATION 7d REPLICATION 1");

        var known = await CheckAsync(new InfluxOptions { Url = servers.Influxd.Url, Database = "check_rp", RetentionPolicy = "week" });
        var unknown = await CheckAsync(new InfluxOptions { Url = servers.Influxd.Url, Database = "check_rp", RetentionPolicy = "month" });

        Assert.Equal(InfluxTargetStatus.Ready, known.Status);
        Assert.Equal(InfluxTargetStatus.Missing, unknown.Status);
        Assert.Equal($"Influx:RetentionPolicy 'month' does not exist on database 'check_rp' at {servers.Influxd.Url}", unknown.Message);
    }

    [Fact]
    public async Task With_authentication_on_a_wrong_password_or_none_is_refused_without_the_password_in_the_message()
    {
        await using var influxd = await InfluxdServer.StartAsync(authEnabled: true);
        // influxd lets the first user, an admin, be created without credentials.
        await influxd.QueryAsync(null, "CREATE USER \"writer\" WITH PASSWORD 'right-horse-battery' WITH ALL PRIVILEGES");
        using (var http = new HttpClient())
        {
            var create = new HttpRequestMessage(HttpMethod.Post, $"{influxd.Url}/query?u=writer&p=right-horse-battery")
            {
                Content = new FormUrlEncodedContent([new("q", "CREATE DATABASE \"guarded\"")]),
            };
            (await http.SendAsync(create)).EnsureSuccessStatusCode();
        }

        var right = await CheckAsync(new InfluxOptions { Url = influxd.Url, Database = "guarded", Username = "writer", Password = "right-horse-battery" });
        var wrong = await CheckAsync(new InfluxOptions { Url = influxd.Url, Database = "guarded", Username = "writer", Password = "wrong-staple-secret" });
        var none = await CheckAsync(new InfluxOptions { Url = influxd.Url, Database = "guarded" });

        Assert.Equal(InfluxTargetStatus.Ready, right.Status);
        Assert.Equal(InfluxTargetStatus.CredentialsRefused, wrong.Status);
        Assert.True(wrong.IsConfigurationProblem);
        Assert.StartsWith($"InfluxDB at {influxd.Url} refused Influx:Username 'writer' with Influx:Password (401 ", wrong.Message);
        Assert.DoesNotContain("wrong-staple-secret", wrong.Message);
        Assert.Equal(InfluxTargetStatus.CredentialsRefused, none.Status);
        Assert.EndsWith("set Influx:Username and Influx:Password", none.Message);
    }

    [Fact]
    public async Task Nothing_listening_is_unreachable_and_not_a_configuration_problem()
    {
        var port = FreeTcpPort.Next();

        var v1 = await CheckAsync(new InfluxOptions { Url = $"http://127.0.0.1:{port}", Database = "x" });
        var v2 = await CheckAsync(new InfluxOptions { Url = $"http://127.0.0.1:{port}", ApiVersion = "v2", Org = "o", Bucket = "b", Token = "t0ken-unreachable" });

        Assert.All([v1, v2], result =>
        {
            Assert.Equal(InfluxTargetStatus.Unreachable, result.Status);
            Assert.False(result.IsConfigurationProblem);
            Assert.StartsWith($"InfluxDB at http://127.0.0.1:{port} cannot be reached: ", result.Message);
        });
        Assert.DoesNotContain("t0ken-unreachable", v2.Message);
    }

    [Fact]
    public async Task A_server_that_takes_writes_but_cannot_list_databases_or_buckets_leaves_the_target_to_the_first_write()
    {
        // VictoriaMetrics takes /write and /api/v2/write, but has neither InfluxQL's /query nor /api/v2/buckets.
        var v1 = await CheckAsync(new InfluxOptions { Url = servers.Victoria.Url, Database = "any" });
        var v2 = await CheckAsync(new InfluxOptions { Url = servers.Victoria.Url, ApiVersion = "v2", Org = "o", Bucket = "b", Token = "vm-token-unused" });

        Assert.Equal(InfluxTargetStatus.Unverified, v1.Status);
        Assert.Equal(InfluxTargetStatus.Unverified, v2.Status);
        Assert.True(v1.CanWrite && v2.CanWrite);
        Assert.EndsWith("Influx:Bucket 'b' is checked by the first write", v2.Message);
    }

    private static Task<InfluxTargetCheckResult> CheckAsync(InfluxOptions options) => new InfluxTargetCheck(options).CheckAsync(CancellationToken.None);
}
