using System.Text.RegularExpressions;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>
/// The InfluxQL of the README's "Asking InfluxDB" section, read from README.md itself: each block
/// <c>```sql</c> below a marker <c>&lt;!-- asking-influx: NAME --&gt;</c>, one statement per line, as a
/// user pastes them into the shell. A README edit that breaks a statement breaks the test that runs it.
/// </summary>
public static partial class ReadmeQueries
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Read()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var blocks = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (Match block in MarkedBlock().Matches(readme))
        {
            var statements = block.Groups["body"].Value.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).ToList();
            Assert.True(blocks.TryAdd(block.Groups["name"].Value, statements), $"README.md marks two blocks '{block.Groups["name"].Value}'");
        }
        return blocks;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "StreamMetrics.sln"))) return directory.FullName;
        throw new DirectoryNotFoundException($"no StreamMetrics.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"<!-- asking-influx: (?<name>[a-z0-9-]+) -->\r?\n```sql\r?\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex MarkedBlock();
}
