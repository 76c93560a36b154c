using YamlDotNet.RepresentationModel;

namespace StreamMetrics.Worker.Tests;

/// <summary>Files of the repository the tests run from: configuration, compose and container files, read as a user's tools read them.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    public static string Read(string relativePath) => File.ReadAllText(PathOf(relativePath));

    /// <summary>The root node of a YAML file (the first document).</summary>
    public static YamlMappingNode Yaml(string relativePath)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(Read(relativePath))) stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "StreamMetrics.sln"))) return directory.FullName;
        throw new DirectoryNotFoundException($"no StreamMetrics.sln above {AppContext.BaseDirectory}");
    }
}
