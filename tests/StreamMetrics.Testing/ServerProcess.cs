using System.Diagnostics;
using System.Text;

namespace StreamMetrics.Testing;

/// <summary>A server binary started for a test in its own temporary directory, killed and cleaned up on dispose.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, string directory)
    {
        _process = process;
        Directory = directory;
    }

    /// <summary>The server's own temporary directory.</summary>
    public string Directory { get; }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public static ServerProcess Start(string binary, IEnumerable<string> arguments, string directory, string installHint)
    {
        var path = new[] { "/usr/bin", "/usr/local/bin", "/usr/sbin" }.Select(d => Path.Combine(d, binary)).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"{binary} is not installed; run tests/run.sh, which installs it ({installHint})");
        var info = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        var server = new ServerProcess(new Process { StartInfo = info }, directory);
        server._process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Polls <paramref name="url"/> until it answers with a success status, or fails with the server's output.</summary>
    public async Task WaitUntilReadyAsync(string url, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"server exited with {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await http.GetAsync(url)).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // not answering yet
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{url} did not answer within {timeout}:\n{Output}");
    }

    /// <summary>Kills the server and keeps its directory, so that it can be started again on the same data.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }
}
