using System.Diagnostics;
using System.Text;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>Runs the real <c>streammetrics</c> executable (or the bench's), as an operator would, and collects what it printed.</summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    public const string Worker = "streammetrics.dll";
    public const string Bench = "StreamMetrics.Bench.dll";

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private WorkerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
    }

    /// <summary>The resident set size of the process now, from /proc.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]) * 1024;
        throw new InvalidOperationException("no VmRSS line in /proc status");
    }

    public string StandardOutput { get { lock (_stdout) return _stdout.ToString(); } }

    public string StandardError { get { lock (_stderr) return _stderr.ToString(); } }

    /// <param name="program">The assembly in this test's output that is run: <see cref="Worker"/> or <see cref="Bench"/>.</param>
    public static WorkerProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string program = Worker)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, program));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("STREAMMETRICS__", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(key);
        // Workers of parallel tests would all want 127.0.0.1:9464: no listener unless a test asks for one (with --set Http:Listen=…).
        info.Environment["STREAMMETRICS__Http__Listen"] = "";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        var process = new WorkerProcess(new Process { StartInfo = info });
        process._process.Start();
        process._process.BeginOutputReadLine();
        process._process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs to the end and returns the exit code; a process still running after <paramref name="timeout"/> is killed and fails the test.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IEnumerable<string> args, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null, string program = Worker)
    {
        await using var process = Start(args, environment, program);
        var exitCode = await process.WaitForExitAsync(timeout);
        return (exitCode, process.StandardOutput, process.StandardError);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"streammetrics did not exit within {timeout}.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
        }
        _process.WaitForExit(); // drains the asynchronous output readers
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process dies at once, with nothing flushed, committed or left.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>Waits until the log (standard error) holds <paramref name="text"/> <paramref name="times"/> times.</summary>
    public async Task WaitForLogAsync(string text, TimeSpan timeout, int times = 1)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (Occurrences(StandardError, text) < times)
        {
            if (_process.HasExited) throw new InvalidOperationException($"streammetrics exited with {_process.ExitCode} before logging '{text}'.\nstderr:\n{StandardError}");
            await Task.Delay(50, deadline.Token);
        }
    }

    private static int Occurrences(string log, string text)
    {
        var count = 0;
        for (var at = log.IndexOf(text, StringComparison.Ordinal); at >= 0; at = log.IndexOf(text, at + text.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    /// <summary>Sends SIGTERM, the way an orchestrator stops a worker.</summary>
    public void Terminate() => Posix.Kill(_process.Id, Posix.SigTerm);

    /// <summary>Sends SIGSTOP: the process stands still, as in a paused VM, until <see cref="Thaw"/>.</summary>
    public void Freeze() => Posix.Kill(_process.Id, Posix.SigStop);

    public void Thaw() => Posix.Kill(_process.Id, Posix.SigCont);

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static class Posix
    {
        public const int SigTerm = 15, SigCont = 18, SigStop = 19;

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int signal);
    }
}
