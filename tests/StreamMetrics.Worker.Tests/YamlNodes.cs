using YamlDotNet.RepresentationModel;

namespace StreamMetrics.Worker.Tests;

/// <summary>Navigation in a YAML tree; a missing key fails naming it and the line of its parent.</summary>
public static class YamlNodes
{
    public static YamlMappingNode Map(this YamlNode node, string key) => (YamlMappingNode)node.At(key);

    public static YamlSequenceNode List(this YamlNode node, string key) => (YamlSequenceNode)node.At(key);

    public static string Text(this YamlNode node, string key) => ((YamlScalarNode)node.At(key)).Value!;

    public static bool Has(this YamlNode node, string key) => ((YamlMappingNode)node).Children.ContainsKey(new YamlScalarNode(key));

    public static IEnumerable<string> Texts(this YamlSequenceNode sequence) => sequence.Children.Select(c => ((YamlScalarNode)c).Value!);

    public static IEnumerable<(string Key, YamlNode Value)> Entries(this YamlMappingNode mapping) =>
        mapping.Children.Select(c => (((YamlScalarNode)c.Key).Value!, c.Value));

    private static YamlNode At(this YamlNode node, string key) =>
        ((YamlMappingNode)node).Children.TryGetValue(new YamlScalarNode(key), out var child)
            ? child
            : throw new KeyNotFoundException($"no '{key}' at line {node.Start.Line}");
}
