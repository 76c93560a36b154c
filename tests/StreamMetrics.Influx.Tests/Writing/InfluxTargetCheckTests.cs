using StreamMetrics.Influx.Writing;

namespace StreamMetrics.Influx.Tests.Writing;

/// <summary>The start-up question to InfluxDB: does the database or bucket exist, are the credentials accepted?</summary>
public sealed class InfluxTargetCheckTests
{
    [Fact]
    public async Task The_check_is_an_empty_write_with_the_writers_credentials()
    {
        await using var server = new StubInfluxServer((_, _) => StubAnswer.NoContent);

        var status = await InfluxTargetCheck.CheckAsync(V1(server.Url), CancellationToken.None);

        Assert.Equal(InfluxTargetStatus.Fine, status);
        var request = Assert.Single(server.Requests);
        Assert.StartsWith("/write?db=retail", request.PathAndQuery);
        Assert.Empty(request.Lines);
        Assert.StartsWith("Basic ", request.Authorization);
    }

    [Fact]
    public async Task A_404_names_the_database_and_how_to_create_it()
    {
        await using var server = new StubInfluxServer((_, _) => new StubAnswer(404, """{"error":"database not found: \"retail\""}"""));

        var status = await InfluxTargetCheck.CheckAsync(V1(server.Url), CancellationToken.None);

        Assert.Equal(InfluxTargetProblem.Missing, status.Problem);
        Assert.Equal($"InfluxDB at {server.Url}: database 'retail' does not exist; create it (CREATE DATABASE \"retail\"), or correct Influx:Database", status.Message);
    }

    [Fact]
    public async Task A_404_on_v2_names_the_bucket_and_the_org()
    {
        await using var server = new StubInfluxServer((_, _) => new StubAnswer(404, """{"code":"not found","message":"bucket \"orders\" not found"}"""));

        var status = await InfluxTargetCheck.CheckAsync(V2(server.Url), CancellationToken.None);

        Assert.Equal(InfluxTargetProblem.Missing, status.Problem);
        Assert.Contains("bucket 'orders' of org 'acme' does not exist", status.Message);
    }

    [Theory]
    [InlineData(401, "v1", "Influx:Username and Influx:Password")]
    [InlineData(403, "v2", "Influx:Token")]
    public async Task Refused_credentials_name_the_keys_to_check_but_never_the_secret(int status, string version, string keys)
    {
        await using var server = new StubInfluxServer((_, _) => new StubAnswer(status, """{"error":"authorization failed"}"""));
        var options = version == "v1" ? V1(server.Url) : V2(server.Url);
        options.Url = server.Url.Replace("http://", "http://writer:url-secret@");

        var answer = await InfluxTargetCheck.CheckAsync(options, CancellationToken.None);

        Assert.Equal(InfluxTargetProblem.Refused, answer.Problem);
        Assert.Equal($"InfluxDB at {server.Url.Replace("http://", "http://***@")} refuses the credentials ({status}); check {keys}", answer.Message);
        Assert.DoesNotContain("secret", answer.Message);
    }

    [Fact]
    public async Task A_400_for_the_empty_body_means_the_target_was_found()
    {
        await using var server = new StubInfluxServer((_, _) => new StubAnswer(400, """{"code":"invalid","message":"writing requires points"}"""));

        Assert.Equal(InfluxTargetStatus.Fine, await InfluxTargetCheck.CheckAsync(V2(server.Url), CancellationToken.None));
    }

    [Fact]
    public async Task No_answer_is_unreachable_which_is_not_a_configuration_problem()
    {
        var status = await InfluxTargetCheck.CheckAsync(V1($"http://127.0.0.1:{Testing.FreeTcpPort.Next()}"), CancellationToken.None);

        Assert.Equal(InfluxTargetProblem.Unreachable, status.Problem);
        Assert.False(status.IsConfigurationProblem);
    }

    private static InfluxOptions V1(string url) => new() { Url = url, Database = "retail", Username = "writer", Password = "secret-pw", Timeout = TimeSpan.FromSeconds(5) };

    private static InfluxOptions V2(string url) => new()
    {
        Url = url, ApiVersion = "v2", Org = "acme", Bucket = "orders", Token = "secret-token", Timeout = TimeSpan.FromSeconds(5),
    };
}
