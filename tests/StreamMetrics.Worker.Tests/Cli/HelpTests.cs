using StreamMetrics.Worker.Tests.Integration;

namespace StreamMetrics.Worker.Tests.Cli;

/// <summary><c>--help</c> shows the spellings the parser accepts, the formats of times and durations, and what each verb needs.</summary>
public sealed class HelpTests
{
    [Theory]
    [InlineData("replay")]
    [InlineData("backtest")]
    public async Task Format_lists_the_spellings_that_are_accepted(string verb)
    {
        var help = await HelpAsync(verb);

        Assert.Contains("--format <online-retail|cdnow|jsonl>", help);
        Assert.DoesNotContain("OnlineRetail", help);
    }

    [Theory]
    [InlineData("replay", "--from")]
    [InlineData("replay", "--to")]
    [InlineData("run", "--end-time")]
    public async Task Instants_show_their_format(string verb, string option)
    {
        var line = OptionLine(await HelpAsync(verb), option);

        Assert.Contains("2011-12-10", line);
        Assert.Contains("UTC", line);
    }

    [Theory]
    [InlineData("demo", "--duration")]
    [InlineData("lag", "--sample")]
    public async Task Durations_show_their_units(string verb, string option)
    {
        var line = OptionLine(await HelpAsync(verb), option);

        Assert.Contains("30s", line);
        Assert.Contains("hh:mm:ss", line);
    }

    [Theory]
    [InlineData("run", "Needs Kafka:BootstrapServers and Influx:Url")]
    [InlineData("replay", "Kafka:BootstrapServers")]
    [InlineData("simulate", "Kafka:BootstrapServers")]
    [InlineData("lag", "Kafka:BootstrapServers")]
    [InlineData("backtest", "neither Kafka nor InfluxDB")]
    [InlineData("demo", "writes to InfluxDB when Influx:Url is set")]
    public async Task Each_verb_says_what_it_needs(string verb, string needs)
    {
        Assert.Contains(needs, await HelpAsync(verb));
    }

    [Fact]
    public async Task The_top_level_help_states_the_exit_codes()
    {
        var help = await HelpAsync();

        Assert.Contains("0 done, 1 failed while running, 2 bad usage or configuration", help);
    }

    private static async Task<string> HelpAsync(params string[] verb)
    {
        var (exitCode, stdout, stderr) = await WorkerProcess.RunAsync([.. verb, "--help"], TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 0, stderr);
        // Help wraps long descriptions over lines; one line of text per option is easier to search.
        return stdout;
    }

    /// <summary>An option's entry in the help, joined over the lines it wraps to.</summary>
    private static string OptionLine(string help, string option)
    {
        var lines = help.Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimStart().StartsWith(option + " ", StringComparison.Ordinal));
        Assert.True(start >= 0, $"{option} is not in the help:\n{help}");
        var entry = new List<string> { lines[start] };
        for (var i = start + 1; i < lines.Length && lines[i].StartsWith("    ", StringComparison.Ordinal) && !lines[i].TrimStart().StartsWith('-'); i++)
            entry.Add(lines[i].Trim());
        return string.Join(' ', entry);
    }
}
