using System.IO.Compression;
using System.Net;
using System.Text;

namespace StreamMetrics.Influx.Tests.Writing;

/// <summary>
/// A loopback HTTP server that answers writes as a script says: for the status codes a real InfluxDB
/// will not produce on demand (413, 429 with Retry-After, 503, a slow answer).
/// </summary>
public sealed class StubInfluxServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<int, string[], StubAnswer> _script;
    private readonly List<StubRequest> _requests = [];
    private readonly Task _serving;

    /// <param name="script">The answer to the n-th request (0-based) holding so many lines.</param>
    public StubInfluxServer(Func<int, int, StubAnswer> script, int? port = null) : this((index, lines) => script(index, lines.Length), port)
    {
    }

    /// <param name="answerTo">The answer to a request holding these lines.</param>
    public StubInfluxServer(Func<string[], StubAnswer> answerTo) : this((_, lines) => answerTo(lines), port: null)
    {
    }

    private StubInfluxServer(Func<int, string[], StubAnswer> script, int? port)
    {
        _script = script;
        Port = port ?? Testing.FreeTcpPort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<StubRequest> Requests { get { lock (_requests) return [.. _requests]; } }

    /// <summary>Lines received in requests that were answered 2xx.</summary>
    public IReadOnlyList<string> AcceptedLines => Requests.Where(r => r.Status is >= 200 and < 300).SelectMany(r => r.Lines).ToList();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        Stream body = request.InputStream;
        if (request.Headers["Content-Encoding"] == "gzip") body = new GZipStream(body, CompressionMode.Decompress);
        var text = await new StreamReader(body, Encoding.UTF8).ReadToEndAsync();
        int index;
        StubAnswer answer;
        lock (_requests)
        {
            index = _requests.Count;
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            answer = _script(index, lines);
            _requests.Add(new StubRequest(request.Url!.PathAndQuery, request.Headers["Authorization"], request.Headers["Content-Encoding"], lines, answer.Status));
        }
        if (answer.Delay > TimeSpan.Zero) await Task.Delay(answer.Delay);
        try
        {
            context.Response.StatusCode = answer.Status;
            foreach (var (name, value) in answer.Headers) context.Response.AddHeader(name, value);
            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // The client gave up (timeout): nothing to answer.
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Close alone: after Stop, Close looks the port up again to unregister it, binds it anew when it finds no
        // listener, and throws "Address already in use" when another test took the port meanwhile.
        _listener.Close();
        await _serving;
    }
}

/// <summary>One scripted answer.</summary>
public sealed record StubAnswer(int Status, string Body = "", TimeSpan Delay = default, params (string Name, string Value)[] Headers)
{
    public static StubAnswer NoContent => new(204);
}

/// <summary>What the stub received.</summary>
public sealed record StubRequest(string PathAndQuery, string? Authorization, string? ContentEncoding, string[] Lines, int Status);
