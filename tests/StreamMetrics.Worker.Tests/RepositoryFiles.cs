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

/// <summary>Navigation in a YAML tree that fails with the path it could not follow.</summary>
public static class YamlNodes
{
    public static YamlMappingNode Map(this YamlNode node, string key) => (YamlMappingNode)node.At(key);

    public static YamlSequenceNode List(this YamlNode node, string key) => (YamlSequenceNode)node.At(key);

    public static string Text(this YamlNode node, string key) => ((YamlScalarNode)node.At(key)).Value!;

    public static string? TextOrNull(this YamlNode node, string key) =>
        ((YamlMappingNode)node).Children.TryGetValue(new YamlScalarNode(key), out var child) ? ((YamlScalarNode)child).Value : null;

    public static bool Has(this YamlNode node, string key) => ((YamlMappingNode)node).Children.ContainsKey(new YamlScalarNode(key));

    public static IEnumerable<string> Texts(this YamlSequenceNode sequence) => sequence.Children.Select(c => ((YamlScalarNode)c).Value!);

    public static IEnumerable<(string Key, YamlNode Value)> Entries(this YamlMappingNode mapping) =>
        mapping.Children.Select(c => (((YamlScalarNode)c.Key).Value!, c.Value));

    private static YamlNode At(this YamlNode node, string key) =>
        ((YamlMappingNode)node).Children.TryGetValue(new YamlScalarNode(key), out var child)
            ? child
            : throw new KeyNotFoundException($"no '{key}' at line {node.Start.Line}");
}
