using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StreamMetrics.Testing;
using StreamMetrics.Worker.Observability.Live;

namespace StreamMetrics.Worker.Tests.Observability;

/// <summary>
/// The live page in headless Chromium against figures chosen here, for what a real run does not reliably produce:
/// demand series over different days, partitions with nothing committed, a cluster that cannot describe groups.
/// </summary>
public sealed partial class LivePageTests
{
    private static readonly TimeSpan ScriptTime = TimeSpan.FromSeconds(5);
    private static readonly DateTimeOffset December1 = new(2010, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Demand_charts_over_different_days_are_all_drawn_on_one_time_axis_from_the_first_day_to_the_last_forecast_day()
    {
        // The total from 1 December, a region from the 5th, another from the 8th whose forecast stops a week earlier.
        DemandFigure[] demand = [Series("total", "all", firstDay: 0, lastDay: 9, forecastDays: 14),
            Series("region", "France", firstDay: 4, lastDay: 9, forecastDays: 14), Series("region", "EIRE", firstDay: 7, lastDay: 9, forecastDays: 7)];
        var figures = Figures(demand, partitions: [], ownersUnknown: null);

        var dom = await RenderAsync(figures);

        Assert.Equal(new DemandAxis(December1, December1.AddDays(23)), figures.DemandDays);
        var axes = DemandChartAxis().Matches(dom).ToDictionary(m => m.Groups["key"].Value,
            m => (From: double.Parse(m.Groups["from"].Value, CultureInfo.InvariantCulture), To: double.Parse(m.Groups["to"].Value, CultureInfo.InvariantCulture)));
        Assert.Equal(["region/EIRE", "region/France", "total/all"], axes.Keys.Order());
        Assert.All(axes.Values, axis => Assert.Equal((December1.ToUnixTimeSeconds(), December1.AddDays(23).ToUnixTimeSeconds()), ((long)axis.From, (long)axis.To)));
    }

    [Fact]
    public async Task When_the_cluster_cannot_describe_groups_every_owner_is_unknown_and_the_note_says_why_in_plain_words_and_which_partitions_this_worker_reads()
    {
        LagFigure[] partitions = [new(0, 120, 120, 0, 0, null, OwnedHere: true), new(1, 80, 95, 15, 2.5, null, OwnedHere: true), new(2, 40, 40, 0, 0, null, OwnedHere: false)];
        var figures = Figures([], partitions, ownersUnknown: "not supported by this cluster");

        var dom = await RenderAsync(figures);

        var owners = OwnerCell().Matches(dom).Select(m => WebUtility.HtmlDecode(m.Groups["text"].Value)).ToList();
        Assert.Equal(["unknown", "unknown", "unknown"], owners);
        Assert.Contains("Owners unknown: the cluster cannot describe consumer groups (not supported by this cluster). This worker reads partitions 0, 1.", dom);
        Assert.DoesNotContain("this worker</td>", dom);
    }

    [Fact]
    public async Task Committed_offsets_are_shown_and_a_partition_without_one_says_nothing_is_committed_yet_and_why()
    {
        LagFigure[] partitions = [new(0, 1_234, 1_300, 66, 4, "worker-a@127.0.0.1", OwnedHere: true), new(1, null, 900, 900, 30, "worker-b@127.0.0.1", OwnedHere: false)];
        var figures = Figures([], partitions, ownersUnknown: null);

        var dom = await RenderAsync(figures);

        Assert.Contains("""<td data-committed="1234">1,234</td>""", dom);
        Assert.Contains("""<td data-committed="null">nothing yet</td>""", dom);
        Assert.Contains("The group has committed nothing yet on partitions 1: a checkpoint commits", dom);
        Assert.Equal(["worker-a@127.0.0.1", "worker-b@127.0.0.1"], OwnerCell().Matches(dom).Select(m => m.Groups["text"].Value));
        Assert.DoesNotContain("Owners unknown", dom);
    }

    [Fact]
    public async Task The_segments_table_lists_the_segments_of_every_scheme_in_the_order_served_with_their_members_revenue_and_clv()
    {
        var figures = Figures([], [], ownersUnknown: null) with
        {
            Segments = new(December1, [new("rfm", "champions", 794, 4_016_722.85m, 1_234_567.25), new("region", "United Kingdom", 3_950, 6_767_873.39m, 900_000.5),
                new("rfm", "lost", 780, 301_201.10m, 1_000)]),
        };

        var dom = await RenderAsync(figures);

        var rows = SegmentRow().Matches(dom).Select(m => (m.Groups["scheme"].Value, m.Groups["segment"].Value, m.Groups["text"].Value)).ToList();
        Assert.Equal([("rfm", "champions", "1,234,567.25"), ("region", "United Kingdom", "900,000.5"), ("rfm", "lost", "1,000")], rows);
        Assert.Contains("<td data-customers=\"3950\">3,950</td><td data-segment-revenue=\"6767873.39\">6,767,873.39</td>", dom);
        Assert.Contains("the 3 with the highest 12-month CLV in the period of 2010-12-01", dom);
        Assert.DoesNotContain("No period has closed yet", dom);
    }

    /// <summary>Serves the real page, script and uPlot with <paramref name="figures"/> as <c>/api/live</c>, and returns the document Chromium built.</summary>
    private static async Task<string> RenderAsync(LiveFigures figures)
    {
        var port = FreeTcpPort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        await using var app = builder.Build();
        LiveView.MapPage(app);
        app.MapGet("/api/live", () => Results.Json(figures, LiveView.Json));
        await app.StartAsync();

        var dom = await HeadlessChromium.DumpDomAsync($"http://127.0.0.1:{port}/", ScriptTime);
        Assert.Contains("data-state=\"ready\"", dom);
        return dom;
    }

    private static LiveFigures Figures(IReadOnlyList<DemandFigure> demand, IReadOnlyList<LagFigure> partitions, string? ownersUnknown) =>
        new(December1.AddDays(30), "test", new OrderFigures(0, 0, 0, 0), [], partitions, December1.AddDays(30), ownersUnknown,
            new ScalingFigure(1, null), new CustomerFigures(0, 0), [], [], null, demand, DemandAxis.Spanning(demand), null, null);

    /// <summary>Units on days <paramref name="firstDay"/> to <paramref name="lastDay"/> after 1 December, then a forecast for the days after.</summary>
    private static DemandFigure Series(string level, string key, int firstDay, int lastDay, int forecastDays) =>
        new(level, key,
            [.. Enumerable.Range(firstDay, lastDay - firstDay + 1).Select(day => new DemandDay(December1.AddDays(day), 100 + day))],
            [.. Enumerable.Range(lastDay + 1, forecastDays).Select(day => new DemandForecastDay(December1.AddDays(day), 110, 90, 130))]);

    [GeneratedRegex(@"data-key=""(?<key>[^""]+)"" data-x-from=""(?<from>[^""]+)"" data-x-to=""(?<to>[^""]+)""")]
    private static partial Regex DemandChartAxis();

    [GeneratedRegex(@"<tr data-scheme=""(?<scheme>[^""]*)"" data-segment=""(?<segment>[^""]*)"">.*?<td data-clv=""[^""]*"">(?<text>[^<]*)</td>")]
    private static partial Regex SegmentRow();

    [GeneratedRegex(@"<td data-owner=""[^""]*"">(?<text>[^<]*)</td>")]
    private static partial Regex OwnerCell();
}
