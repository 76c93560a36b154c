using System.Diagnostics;

namespace StreamMetrics.Testing;

/// <summary>
/// A real browser for tests of web pages: Debian's <c>chromium</c> in headless mode, one short-lived process
/// per page, each with its own profile directory.
/// </summary>
public static class HeadlessChromium
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    /// <summary>Loads <paramref name="url"/>, lets its scripts run for <paramref name="scriptTime"/> of virtual time, and saves a PNG of the window.</summary>
    public static Task ScreenshotAsync(string url, string png, int width, int height, TimeSpan scriptTime) =>
        RunAsync([$"--screenshot={png}", $"--window-size={width},{height}", "--hide-scrollbars", $"--virtual-time-budget={(int)scriptTime.TotalMilliseconds}", url]);

    /// <summary>Loads <paramref name="url"/>, lets its scripts run for <paramref name="scriptTime"/> of virtual time, and returns the document as it stands then.</summary>
    public static Task<string> DumpDomAsync(string url, TimeSpan scriptTime) =>
        RunAsync(["--dump-dom", "--window-size=1400,1800", $"--virtual-time-budget={(int)scriptTime.TotalMilliseconds}", url]);

    private static async Task<string> RunAsync(IEnumerable<string> arguments)
    {
        var binary = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("chromium is not installed; run tests/run.sh, which installs it (apt-get install -y chromium)");
        var profile = Directory.CreateTempSubdirectory("chromium-").FullName;
        try
        {
            // No sandbox: the tests may run as root, where Chromium's sandbox refuses to start; the pages are our own, on loopback.
            var info = new ProcessStartInfo(binary)
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                // A small /dev/shm (containers) would crash the renderer; crash reports would write into the profile as it is deleted.
                ArgumentList = { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-crash-reporter", "--no-first-run", $"--user-data-dir={profile}" },
            };
            foreach (var argument in arguments) info.ArgumentList.Add(argument);
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish within {Timeout}: {await errors}");
            }
            if (process.ExitCode != 0) throw new InvalidOperationException($"chromium exited with {process.ExitCode}: {await errors}");
            return await output;
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
                // a helper process still closing its files: the temporary directory is left, the result stands
            }
        }
    }
}
