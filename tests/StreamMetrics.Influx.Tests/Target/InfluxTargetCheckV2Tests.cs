using StreamMetrics.Influx.Target;
using StreamMetrics.Influx.Tests.Writing;
using StreamMetrics.Influx.Writing;

namespace StreamMetrics.Influx.Tests.Target;

/// <summary>
/// The v2 start-up check (InfluxDB.Client's buckets API) against a stub answering as InfluxDB 2.x does: no InfluxDB 2
/// runs here, and the stub is the only way to get its 401, 404 and 503 on demand.
/// </summary>
public sealed class InfluxTargetCheckV2Tests
{
    private const string Token = "tok-3f9a-secret";

    [Fact]
    public async Task The_bucket_found_in_its_org_is_ready_and_is_asked_for_by_name_and_org_with_the_token_in_a_header()
    {
        await using var stub = new StubInfluxServer((_, _) => Json(200, """{"buckets":[{"id":"b1","orgID":"o1","name":"orders","retentionRules":[]}]}"""));

        var result = await CheckAsync(stub);

        Assert.Equal(InfluxTargetStatus.Ready, result.Status);
        Assert.Equal($"InfluxDB at {stub.Url} has bucket 'orders' of org 'retail'", result.Message);
        var request = Assert.Single(stub.Requests);
        Assert.StartsWith("/api/v2/buckets?", request.PathAndQuery);
        Assert.Contains("org=retail", request.PathAndQuery);
        Assert.Contains("name=orders", request.PathAndQuery);
        Assert.DoesNotContain(Token, request.PathAndQuery);
        Assert.Equal($"Token {Token}", request.Authorization);
    }

    [Fact]
    public async Task No_such_bucket_in_the_org_is_missing_and_names_both_keys()
    {
        await using var stub = new StubInfluxServer((_, _) => Json(200, """{"buckets":[]}"""));

        var result = await CheckAsync(stub);

        Assert.Equal(InfluxTargetStatus.Missing, result.Status);
        Assert.True(result.IsConfigurationProblem);
        Assert.Equal($"Influx:Bucket 'orders' of Influx:Org 'retail' does not exist on {stub.Url}, or Influx:Token may not read it", result.Message);
    }

    [Fact]
    public async Task An_org_InfluxDB_does_not_know_is_missing_with_InfluxDBs_words()
    {
        await using var stub = new StubInfluxServer((_, _) => Json(404, """{"code":"not found","message":"organization name \"retail\" not found"}"""));

        var result = await CheckAsync(stub);

        Assert.Equal(InfluxTargetStatus.Missing, result.Status);
        Assert.EndsWith("(InfluxDB: organization name \"retail\" not found)", result.Message);
    }

    [Fact]
    public async Task A_refused_token_is_a_credentials_problem_and_the_token_never_reaches_the_message_even_when_the_server_echoes_it()
    {
        await using var stub = new StubInfluxServer((_, _) => Json(401, $$"""{"code":"unauthorized","message":"unauthorized access for {{Token}}"}"""));

        var result = await CheckAsync(stub);

        Assert.Equal(InfluxTargetStatus.CredentialsRefused, result.Status);
        Assert.True(result.IsConfigurationProblem);
        Assert.StartsWith($"InfluxDB at {stub.Url} refused Influx:Token for bucket 'orders' of org 'retail' (401 unauthorized access for ***)", result.Message);
        Assert.DoesNotContain(Token, result.Message);
    }

    [Fact]
    public async Task A_token_without_permission_is_refused_too()
    {
        await using var stub = new StubInfluxServer((_, _) => Json(403, """{"code":"forbidden","message":"insufficient permissions"}"""));

        var result = await CheckAsync(stub);

        Assert.Equal(InfluxTargetStatus.CredentialsRefused, result.Status);
    }

    [Fact]
    public async Task A_server_error_is_a_failure_worth_retrying_not_a_configuration_problem()
    {
        await using var stub = new StubInfluxServer((_, _) => Json(503, """{"code":"unavailable","message":"starting up"}"""));

        var result = await CheckAsync(stub);

        Assert.Equal(InfluxTargetStatus.Failed, result.Status);
        Assert.False(result.IsConfigurationProblem);
        Assert.False(result.CanWrite);
        Assert.Contains("answered 503", result.Message);
    }

    [Fact]
    public async Task No_answer_within_the_timeout_is_unreachable()
    {
        await using var stub = new StubInfluxServer((_, _) => new StubAnswer(200, """{"buckets":[]}""", TimeSpan.FromSeconds(5)));

        var result = await CheckAsync(stub, TimeSpan.FromMilliseconds(300));

        Assert.Equal(InfluxTargetStatus.Unreachable, result.Status);
        Assert.Equal($"InfluxDB at {stub.Url} did not answer within Influx:Timeout 00:00:00.3000000", result.Message);
    }

    private static Task<InfluxTargetCheckResult> CheckAsync(StubInfluxServer stub, TimeSpan? timeout = null) =>
        new InfluxTargetCheck(new InfluxOptions
        {
            Url = stub.Url, ApiVersion = "v2", Org = "retail", Bucket = "orders", Token = Token, Timeout = timeout ?? TimeSpan.FromSeconds(10),
        }).CheckAsync(CancellationToken.None);

    private static StubAnswer Json(int status, string body) => new(status, body, default, ("Content-Type", "application/json"));
}
