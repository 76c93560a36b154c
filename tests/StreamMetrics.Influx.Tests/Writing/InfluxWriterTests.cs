using StreamMetrics.Influx.LineProtocol;
using StreamMetrics.Influx.Writing;

namespace StreamMetrics.Influx.Tests.Writing;

public sealed class InfluxWriterTests
{
    private static readonly DateTimeOffset Day = DateTimeOffset.Parse("2011-01-10T00:00:00Z");

    private static List<Point> Points(int count, int from = 0) =>
        Enumerable.Range(from, count)
            .Select(i => new Point("customer_activity", [new("customer_id", $"c{i}")], [new("orders", FieldValue.Integer(i))], Day))
            .ToList();

    private static InfluxOptions Options(string url, Action<InfluxOptions>? change = null)
    {
        var options = new InfluxOptions
        {
            Url = url, Database = "db", BatchSize = 10, FlushInterval = TimeSpan.FromMilliseconds(50),
            Timeout = TimeSpan.FromSeconds(5), MaxRetryDelay = TimeSpan.FromSeconds(30), MaxBufferedPoints = 1000,
        };
        change?.Invoke(options);
        return options;
    }

    private static async Task<InfluxWriterCounters> WriteAllAsync(InfluxWriter writer, int points)
    {
        var written = await writer.SubmitAsync(Points(points));
        await writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await written.WaitAsync(TimeSpan.FromSeconds(5));
        return writer.Counters;
    }

    private static void AssertBalanced(InfluxWriterCounters counters) =>
        Assert.Equal(counters.Submitted, counters.Acked + counters.Rejected + counters.Buffered);

    [Fact]
    public async Task A_204_acknowledges_every_point_in_gzip_batches_of_the_configured_size()
    {
        await using var server = new StubInfluxServer((_, _) => StubAnswer.NoContent);
        await using var writer = new InfluxWriter(Options(server.Url));

        var counters = await WriteAllAsync(writer, 25);

        Assert.Equal((25L, 25L, 0L, 0L), (counters.Submitted, counters.Acked, counters.Rejected, counters.Buffered));
        Assert.Equal(25, server.AcceptedLines.Count);
        Assert.All(server.Requests, r => Assert.True(r.Lines.Length <= 10));
        Assert.All(server.Requests, r => Assert.Equal("gzip", r.ContentEncoding));
        Assert.StartsWith("/write?db=db&precision=n", server.Requests[0].PathAndQuery);
    }

    private const string FieldTypeConflict =
        """{"error":"partial write: field type conflict: input field \"orders\" on measurement \"customer_activity\" is type float, already exists as type integer dropped=1"}""";

    /// <summary>Points c0…c{count-1}; those in <paramref name="conflicting"/> are the ones the stub refuses.</summary>
    private static StubInfluxServer RefusingServer(params int[] conflicting) =>
        new(lines => lines.Any(line => conflicting.Any(c => line.Contains($"customer_id=c{c} "))) ? new StubAnswer(400, FieldTypeConflict) : StubAnswer.NoContent);

    [Fact]
    public async Task A_400_is_narrowed_down_to_the_points_it_refused_which_go_to_the_refused_sink_with_InfluxDBs_reason()
    {
        await using var server = RefusingServer(2, 7, 8);
        var refused = new RecordingRefusedPointSink();
        await using var writer = new InfluxWriter(Options(server.Url), refused: refused);

        var counters = await WriteAllAsync(writer, 10);

        Assert.Equal((10L, 7L, 3L, 0L), (counters.Submitted, counters.Acked, counters.Rejected, counters.Buffered));
        Assert.Equal([.. new[] { 2, 7, 8 }.Select(i => LineProtocolEncoder.Encode(Points(10)[i]).TrimEnd('\n'))], refused.Lines.Order());
        Assert.All(refused.Points, p => Assert.Equal("customer_activity", p.Measurement));
        Assert.All(refused.Points, p => Assert.Contains("field type conflict", p.Reason));
        Assert.Equal(Points(10).Where((_, i) => i is not (2 or 7 or 8)).Select(LineProtocolEncoder.Encode).Order(), server.AcceptedLines.Distinct().Order());
    }

    [Fact]
    public async Task A_submission_completes_only_once_its_refused_points_are_stored_however_often_storing_fails()
    {
        await using var server = RefusingServer(4);
        var refused = new RecordingRefusedPointSink(failures: 2);
        await using var writer = new InfluxWriter(Options(server.Url), time: new RecordingTimeProvider { RecordFrom = TimeSpan.Zero }, refused: refused);

        var written = await writer.SubmitAsync(Points(10));
        await writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await written.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Single(refused.Points);
        Assert.Equal(3, refused.Calls);
        Assert.Equal((9L, 1L, 0L), (writer.Counters.Acked, writer.Counters.Rejected, writer.Counters.Buffered));
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    public async Task Refusals_keep_the_points_buffered_and_retry_slowly_until_the_server_accepts(int status)
    {
        var time = new RecordingTimeProvider();
        await using var server = new StubInfluxServer((index, _) => index < 2 ? new StubAnswer(status, """{"error":"no"}""") : StubAnswer.NoContent);
        await using var writer = new InfluxWriter(Options(server.Url), time: time);

        var counters = await WriteAllAsync(writer, 10);

        Assert.Equal((10L, 0L, 0L), (counters.Acked, counters.Rejected, counters.Buffered));
        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)], time.Waits);
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(2, counters.Retries);
    }

    [Fact]
    public async Task While_refused_nothing_is_acknowledged_and_nothing_is_dropped()
    {
        var accepting = false;
        await using var server = new StubInfluxServer((_, _) => Volatile.Read(ref accepting) ? StubAnswer.NoContent : new StubAnswer(401));
        await using var writer = new InfluxWriter(Options(server.Url, o => o.MaxRetryDelay = TimeSpan.FromMilliseconds(100)));

        var written = await writer.SubmitAsync(Points(10));
        await Eventually(() => server.Requests.Count >= 3);
        Assert.Equal((10L, 0L, 0L, 10L), (writer.Counters.Submitted, writer.Counters.Acked, writer.Counters.Rejected, writer.Counters.Buffered));
        Assert.False(written.IsCompleted);

        Volatile.Write(ref accepting, true);
        await written.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(10, writer.Counters.Acked);
    }

    [Fact]
    public async Task A_413_splits_the_batch_in_halves()
    {
        await using var server = new StubInfluxServer((_, lines) => lines > 4 ? new StubAnswer(413) : StubAnswer.NoContent);
        await using var writer = new InfluxWriter(Options(server.Url));

        var counters = await WriteAllAsync(writer, 10);

        Assert.Equal((10L, 10L, 0L, 0L), (counters.Submitted, counters.Acked, counters.Rejected, counters.Buffered));
        Assert.Equal([10, 5, 2, 3, 5, 2, 3], server.Requests.Select(r => r.Lines.Length));
        Assert.Equal(Points(10).Select(LineProtocolEncoder.Encode).Order(), server.AcceptedLines.Order());
    }

    [Fact]
    public async Task A_single_point_too_large_for_the_server_goes_to_the_refused_sink_not_retried_forever()
    {
        await using var server = new StubInfluxServer((_, _) => new StubAnswer(413));
        var refused = new RecordingRefusedPointSink();
        await using var writer = new InfluxWriter(Options(server.Url), refused: refused);

        var counters = await WriteAllAsync(writer, 2);

        Assert.Equal((2L, 0L, 2L, 0L), (counters.Submitted, counters.Acked, counters.Rejected, counters.Buffered));
        Assert.Equal(2, refused.Points.Count);
        Assert.All(refused.Points, p => Assert.StartsWith("413", p.Reason));
    }

    [Fact]
    public async Task A_429_with_Retry_After_in_seconds_waits_that_long()
    {
        var time = new RecordingTimeProvider();
        await using var server = new StubInfluxServer((index, _) => index == 0 ? new StubAnswer(429, "", default, ("Retry-After", "7")) : StubAnswer.NoContent);
        await using var writer = new InfluxWriter(Options(server.Url), time: time);

        var counters = await WriteAllAsync(writer, 10);

        Assert.Equal(10, counters.Acked);
        Assert.Equal([TimeSpan.FromSeconds(7)], time.Waits);
        AssertBalanced(counters);
    }

    [Fact]
    public async Task A_429_with_Retry_After_as_a_date_waits_until_then()
    {
        var time = new RecordingTimeProvider();
        var at = DateTimeOffset.UtcNow.AddSeconds(20).ToString("R");
        await using var server = new StubInfluxServer((index, _) => index == 0 ? new StubAnswer(429, "", default, ("Retry-After", at)) : StubAnswer.NoContent);
        await using var writer = new InfluxWriter(Options(server.Url), time: time);

        var counters = await WriteAllAsync(writer, 10);

        Assert.Equal(10, counters.Acked);
        Assert.InRange(Assert.Single(time.Waits), TimeSpan.FromSeconds(17), TimeSpan.FromSeconds(21));
    }

    [Fact]
    public async Task Retry_After_is_capped_by_the_longest_retry_delay()
    {
        var time = new RecordingTimeProvider();
        await using var server = new StubInfluxServer((index, _) => index == 0 ? new StubAnswer(503, "", default, ("Retry-After", "3600")) : StubAnswer.NoContent);
        await using var writer = new InfluxWriter(Options(server.Url), time: time);

        await WriteAllAsync(writer, 10);

        Assert.Equal([TimeSpan.FromSeconds(30)], time.Waits);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Server_errors_are_retried_with_back_off_until_acknowledged(int status)
    {
        await using var server = new StubInfluxServer((index, _) => index < 3 ? new StubAnswer(status, "overloaded") : StubAnswer.NoContent);
        await using var writer = new InfluxWriter(Options(server.Url));

        var counters = await WriteAllAsync(writer, 10);

        Assert.Equal((10L, 10L, 0L, 0L), (counters.Submitted, counters.Acked, counters.Rejected, counters.Buffered));
        Assert.Equal(3, counters.Retries);
        Assert.Equal(10, server.AcceptedLines.Count);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_until_a_server_listens()
    {
        var port = Testing.FreeTcpPort.Next();
        await using var writer = new InfluxWriter(Options($"http://127.0.0.1:{port}", o => o.MaxRetryDelay = TimeSpan.FromMilliseconds(100)));

        var written = await writer.SubmitAsync(Points(10));
        await Eventually(() => writer.Counters.Retries >= 2);
        Assert.Equal((10L, 0L, 10L), (writer.Counters.Submitted, writer.Counters.Acked, writer.Counters.Buffered));

        await using var server = new StubInfluxServer((_, _) => StubAnswer.NoContent, port);
        await written.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(10, writer.Counters.Acked);
        AssertBalanced(writer.Counters);
    }

    [Fact]
    public async Task A_server_slower_than_the_timeout_is_retried()
    {
        await using var server = new StubInfluxServer((index, _) => index == 0 ? new StubAnswer(204, "", TimeSpan.FromSeconds(3)) : StubAnswer.NoContent);
        await using var writer = new InfluxWriter(Options(server.Url, o => o.Timeout = TimeSpan.FromMilliseconds(300)));

        var counters = await WriteAllAsync(writer, 10);

        Assert.Equal((10L, 10L, 0L, 0L), (counters.Submitted, counters.Acked, counters.Rejected, counters.Buffered));
        Assert.True(counters.Retries >= 1);
    }

    [Fact]
    public async Task A_full_buffer_makes_submitters_wait_instead_of_dropping()
    {
        var accepting = false;
        await using var server = new StubInfluxServer((_, _) => Volatile.Read(ref accepting) ? StubAnswer.NoContent : new StubAnswer(503));
        await using var writer = new InfluxWriter(Options(server.Url, o => o.MaxBufferedPoints = 10));

        await writer.SubmitAsync(Points(10));
        var second = writer.SubmitAsync(Points(10, from: 10)).AsTask();
        await Eventually(() => server.Requests.Count >= 2);
        Assert.False(second.IsCompleted);
        Assert.Equal((20L, 0L, 20L), (writer.Counters.Submitted, writer.Counters.Acked, writer.Counters.Buffered));

        Volatile.Write(ref accepting, true);
        await (await second).WaitAsync(TimeSpan.FromSeconds(30));
        await writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((20L, 20L, 0L), (writer.Counters.Submitted, writer.Counters.Acked, writer.Counters.Buffered));
    }

    [Fact]
    public async Task The_v2_path_sends_org_bucket_and_the_token_in_a_header()
    {
        await using var server = new StubInfluxServer((_, _) => StubAnswer.NoContent);
        await using var writer = new InfluxWriter(Options(server.Url, o => { o.ApiVersion = "v2"; o.Org = "acme"; o.Bucket = "orders"; o.Token = "t0ken"; }));

        await WriteAllAsync(writer, 1);

        var request = Assert.Single(server.Requests);
        Assert.Equal("/api/v2/write?org=acme&bucket=orders&precision=ns", request.PathAndQuery);
        Assert.Equal("Token t0ken", request.Authorization);
    }

    [Fact]
    public async Task A_point_that_cannot_be_encoded_is_rejected_at_once_with_the_rest_written()
    {
        await using var server = new StubInfluxServer((_, _) => StubAnswer.NoContent);
        await using var writer = new InfluxWriter(Options(server.Url));
        var bad = new Point("m", [new("customer_id", "line\nbreak")], [new("f", FieldValue.Integer(1))], Day);

        var written = await writer.SubmitAsync([.. Points(3), bad]);
        await writer.FlushAsync();
        await written;

        Assert.Equal((4L, 3L, 1L, 0L), (writer.Counters.Submitted, writer.Counters.Acked, writer.Counters.Rejected, writer.Counters.Buffered));
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not reached within 30 s");
            await Task.Delay(10);
        }
    }
}
