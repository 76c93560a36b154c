using System.Diagnostics;
using System.Text.RegularExpressions;
using StreamMetrics.Testing;
using StreamMetrics.Worker.Cli;

namespace StreamMetrics.Worker.Tests.Cli;

/// <summary>What the README promises a newcomer in the first hour: the exit codes, starting InfluxDB, several workers on one host.</summary>
public sealed partial class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(FindReadme());

    [Fact]
    public void The_exit_code_table_is_the_contract_the_verbs_keep()
    {
        var rows = ExitCodeRow().Matches(Readme).ToDictionary(m => int.Parse(m.Groups["code"].Value), m => m.Groups["means"].Value);

        Assert.Equal(
            new Dictionary<int, string>
            {
                [ExitCodes.Done] = "done",
                [ExitCodes.Failed] = "failed while running: trying again later may work",
                [ExitCodes.Usage] = "bad usage or configuration: it fails the same way until it is fixed",
            }, rows);
    }

    [Fact]
    public void Several_workers_on_one_host_are_told_about_Http_Listen_and_the_port_they_would_share()
    {
        var section = Section("### Several workers on one host");

        Assert.Contains("Http:Listen", section);
        Assert.Contains("127.0.0.1:9464", section);
        Assert.Contains("--set Http:Listen=127.0.0.1:9465", section);
    }

    [Fact]
    public async Task The_InfluxDB_instructions_start_influxd_and_create_the_database()
    {
        var home = Directory.CreateTempSubdirectory("readme-influx-").FullName;
        var (http, rpc) = (FreeTcpPort.Next(), FreeTcpPort.Next());
        var script = ShellBlock(Section("### InfluxDB 1.x from Debian"))
            .Replace("127.0.0.1:8086", $"127.0.0.1:{http}").Replace("127.0.0.1:8088", $"127.0.0.1:{rpc}");
        var pidFile = Path.Combine(home, "influxd.pid");
        try
        {
            // The README backgrounds influxd; its process id is written down so that this test stops exactly that process.
            await BashAsync($"{script}\necho $! > {pidFile}\n", home);

            using var client = new HttpClient();
            var databases = await client.GetStringAsync($"http://127.0.0.1:{http}/query?q=SHOW%20DATABASES");
            Assert.Contains("\"retail\"", databases);
        }
        finally
        {
            if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
            {
                using var influxd = Process.GetProcessById(pid);
                influxd.Kill();
                await influxd.WaitForExitAsync();
            }
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task BashAsync(string script, string home)
    {
        var start = new ProcessStartInfo("bash", ["-e", "-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["HOME"] = home;
        using var bash = Process.Start(start)!;
        var errors = bash.StandardError.ReadToEndAsync();
        await bash.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await bash.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(bash.ExitCode == 0, $"the README's commands failed: {await errors}");
    }

    /// <summary>The text from a heading to the next heading of any level.</summary>
    private static string Section(string heading)
    {
        var start = Readme.IndexOf(heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README has no '{heading}'");
        var end = Readme.IndexOf("\n#", start + heading.Length, StringComparison.Ordinal);
        return Readme[start..(end < 0 ? Readme.Length : end)];
    }

    private static string ShellBlock(string section) => ShellBlockPattern().Match(section) is { Success: true } block
        ? block.Groups[1].Value
        : throw new InvalidOperationException("no ```sh block in the section");

    private static string FindReadme()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "README.md")) && Directory.Exists(Path.Combine(directory.FullName, "src")))
                return Path.Combine(directory.FullName, "README.md");
        throw new FileNotFoundException($"no README.md above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"^\| (?<code>\d) \| (?<means>[^|]+?) \|", RegexOptions.Multiline)]
    private static partial Regex ExitCodeRow();

    [GeneratedRegex(@"```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlockPattern();
}
