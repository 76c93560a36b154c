using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace StreamMetrics.Worker.Tests.Integration;

/// <summary>
/// The dashboards of config/grafana/dashboards as Grafana reads them (template variables, panels, their
/// InfluxQL), and the interpolation Grafana applies before a query reaches InfluxDB: <c>$timeFilter</c>,
/// <c>${__from}</c>/<c>${__to}</c>, <c>$__interval</c> and the variables.
/// </summary>
public static partial class GrafanaDashboards
{
    public sealed record Dashboard(string File, string Uid, string Title, IReadOnlyList<Variable> Variables, IReadOnlyList<Panel> Panels);

    /// <summary>A custom variable (a fixed list; <see cref="Default"/> is selected) or a query variable (values from InfluxDB, All selected).</summary>
    public sealed record Variable(string Name, string Type, string Query, string? Default, bool IncludeAll, string? AllValue);

    /// <summary><see cref="Interval"/> is the panel's minimum interval, when it sets one.</summary>
    public sealed record Panel(string Title, string Type, string? Interval, IReadOnlyList<Target> Targets);

    public sealed record Target(string RefId, string Query, bool RawQuery, string? DatasourceUid);

    /// <summary>A dashboard's time range and interval, and per variable the values selected (null: All).</summary>
    public sealed record Selection(DateTimeOffset From, DateTimeOffset To, string Interval, IReadOnlyDictionary<string, IReadOnlyList<string>?> Values);

    public static IReadOnlyList<Dashboard> Load() =>
        [.. Directory.GetFiles(RepositoryFiles.PathOf("config/grafana/dashboards"), "*.json").Order(StringComparer.Ordinal).Select(Parse)];

    /// <summary>The query as Grafana sends it; a variable it does not know fails the test.</summary>
    public static string Interpolate(string query, Dashboard dashboard, Selection selection) =>
        Reference().Replace(query, reference =>
        {
            var name = reference.Groups["braced"].Success ? reference.Groups["braced"].Value : reference.Groups["plain"].Value;
            var asRegex = reference.Groups["format"].Value == "regex";
            switch (name)
            {
                case "timeFilter": return $"time >= {Milliseconds(selection.From)}ms and time <= {Milliseconds(selection.To)}ms";
                case "__from": return Milliseconds(selection.From);
                case "__to": return Milliseconds(selection.To);
                case "__interval": return selection.Interval;
            }
            var variable = dashboard.Variables.SingleOrDefault(v => v.Name == name)
                ?? throw new InvalidOperationException($"{dashboard.File}: '{reference.Value}' names no variable of the dashboard");
            var values = selection.Values[name];
            // A custom All value (.*) goes in as it is; selected values are regex-escaped when the query asks for a regex.
            if (values is null) return variable.AllValue ?? throw new InvalidOperationException($"{dashboard.File}: variable {name} has no allValue");
            if (!asRegex) return Assert.Single(values);
            var escaped = values.Select(v => RegexSpecial().Replace(v, @"\$&")).ToList();
            return escaped.Count == 1 ? escaped[0] : $"({string.Join('|', escaped)})";
        });

    private static string Milliseconds(DateTimeOffset at) => at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private static Dashboard Parse(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        var root = json.RootElement;
        var variables = root.GetProperty("templating").GetProperty("list").EnumerateArray().Select(v => new Variable(
            v.GetProperty("name").GetString()!, v.GetProperty("type").GetString()!, v.GetProperty("query").GetString()!,
            v.TryGetProperty("current", out var current) && current.GetProperty("value").ValueKind == JsonValueKind.String ? current.GetProperty("value").GetString() : null,
            v.TryGetProperty("includeAll", out var all) && all.GetBoolean(),
            v.TryGetProperty("allValue", out var allValue) ? allValue.GetString() : null)).ToList();
        var panels = root.GetProperty("panels").EnumerateArray().Select(p => new Panel(
            p.GetProperty("title").GetString()!, p.GetProperty("type").GetString()!,
            p.TryGetProperty("interval", out var interval) ? interval.GetString() : null,
            [.. p.GetProperty("targets").EnumerateArray().Select(t => new Target(
                t.GetProperty("refId").GetString()!, t.GetProperty("query").GetString()!,
                t.TryGetProperty("rawQuery", out var raw) && raw.GetBoolean(),
                t.TryGetProperty("datasource", out var source) ? source.GetProperty("uid").GetString() : null))])).ToList();
        return new Dashboard(Path.GetFileName(file), root.GetProperty("uid").GetString()!, root.GetProperty("title").GetString()!, variables, panels);
    }

    /// <summary>$name, ${name} or ${name:format}.</summary>
    [GeneratedRegex(@"\$\{(?<braced>\w+)(?::(?<format>\w+))?\}|\$(?<plain>[A-Za-z_]\w*)")]
    private static partial Regex Reference();

    /// <summary>What Grafana's escapeRegex escapes.</summary>
    [GeneratedRegex(@"[\\^$*+?.()|\[\]{}/]")]
    private static partial Regex RegexSpecial();
}
