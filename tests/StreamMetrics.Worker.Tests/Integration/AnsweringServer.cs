using System.Net;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>A loopback HTTP server that answers every request with one status: an InfluxDB that refuses the credentials, for example.</summary>
public sealed class AnsweringServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public AnsweringServer(int status, string body)
    {
        var port = Testing.FreeTcpPort.Next();
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add($"{Url}/");
        _listener.Start();
        _serving = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                context.Response.StatusCode = status;
                var bytes = System.Text.Encoding.UTF8.GetBytes(body);
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        });
    }

    public string Url { get; }

    public async ValueTask DisposeAsync()
    {
        // Close alone: after Stop, Close looks the port up again to unregister it, binds it anew when it finds no
        // listener, and throws "Address already in use" when another test took the port meanwhile.
        _listener.Close();
        await _serving;
    }
}
