using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using StreamMetrics.Core.Demand;
using StreamMetrics.Core.Forecasting;
using StreamMetrics.Worker.Publishing;

namespace StreamMetrics.Worker.Cli;

/// <summary>
/// <c>backtest</c>: rolling-origin evaluation of the live demand path on a data file (the same monitors, corrections,
/// alerts and reconciliation as <c>run</c>, fed day by day), against naive baselines.
/// </summary>
public static class BacktestVerb
{
    private const int MaxHorizon = 7;

    public static Command Create()
    {
        var format = ReplayVerb.FormatOption();
        var file = new Option<FileInfo>("--file") { Description = "The data file, plain or .gz", Required = true };
        var levels = new Option<string>("--levels") { Description = "Comma-separated levels: total, region, category, sku", DefaultValueFactory = _ => "total,region,sku" };
        var weeks = new Option<int>("--weeks") { Description = "Test period: the last this many weeks of the file", DefaultValueFactory = _ => 8 };
        var topSkus = new Option<int>("--top-skus") { Description = "At the sku level, the SKUs with the highest revenue only", DefaultValueFactory = _ => 50 };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the scores to this file as JSON" };
        var perSeries = new Option<bool>("--per-series") { Description = "Also print each series' figures" };
        var command = new Command("backtest", "Score the live demand monitor on a data file: horizons 1-7 days from every day of the last weeks, against naive and seasonal-naive forecasts, with the alert rate. Reads the file only: needs neither Kafka nor InfluxDB")
        {
            format, file, levels, weeks, topSkus, json, perSeries,
        };
        command.SetAction((parse, _) => GlobalOptions.Guard(async () =>
        {
            var path = parse.GetValue(file)!;
            var chosen = parse.GetValue(levels)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var unknown = chosen.Except([DemandKey.Total, DemandKey.Region, DemandKey.Category, DemandKey.Sku]).ToList();
            if (unknown.Count > 0 || chosen.Length == 0)
            {
                await Console.Error.WriteLineAsync($"--levels '{parse.GetValue(levels)}' must name total, region, category or sku");
                return ExitCodes.Usage;
            }
            if (parse.GetValue(weeks) is < 1 or > 52 || parse.GetValue(topSkus) < 1)
            {
                await Console.Error.WriteLineAsync("--weeks must be between 1 and 52 and --top-skus at least 1");
                return ExitCodes.Usage;
            }

            var demand = DailyDemand.From(DataFile.Read(path, parse.GetValue(format)).Orders);
            var scored = chosen.ToDictionary(level => level, level => level == DemandKey.Sku
                ? (IReadOnlyList<DemandKey>)[.. demand.ByRevenue(level).Take(parse.GetValue(topSkus))]
                : demand.ByRevenue(level));
            var scores = Backtest.Run(demand, scored, 7 * parse.GetValue(weeks), MaxHorizon);
            if (parse.GetValue(perSeries))
                foreach (var score in scores.Values.SelectMany(s => s.PerSeries))
                    Console.WriteLine($"{score.Key}: MAE {F(score.Mae)}, seasonal naive {F(score.MaeSeasonalNaive)}, 80% coverage {F(100 * score.Coverage80)}%, " +
                        $"empty test days {F(100 * score.EmptyShare)}%{(score.Regular ? "" : ", intermittent")}, {score.Alerts} alerts; day ahead on {score.DemandDays} days with demand: " +
                        $"MAE {F(score.DayAhead.Mae)}, seasonal naive {F(score.DayAhead.MaeSeasonalNaive)}, 80% coverage {F(100 * score.DayAhead.Coverage80)}%");

            Print(scores, parse.GetValue(weeks));
            if (parse.GetValue(json) is { } target)
                await File.WriteAllTextAsync(target.FullName, ToJson(scores));
            return ExitCodes.Done;
        }));
        return command;
    }

    private static void Print(IReadOnlyDictionary<string, BacktestScore> scores, int weeks)
    {
        var table = new Table().Title($"Demand forecast backtest: last {weeks} weeks, horizons 1-{MaxHorizon} days, units per day");
        foreach (var column in new[] { "level", "series", "MAE", "MAE naive", "MAE seasonal naive", "MAE / seasonal naive", "MASE", "80% coverage (regular series)", "80% coverage (all)", "alerts per series-day" })
            table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var (level, s) in scores)
            table.AddRow(level, $"{s.Series}", F(s.Mae), F(s.MaeNaive), F(s.MaeSeasonalNaive), F(s.Mae / s.MaeSeasonalNaive, "F3"), F(s.Mase, "F3"),
                $"{F(100 * s.Coverage80)}% of {s.RegularSeries}", F(100 * s.Coverage80AllSeries) + "%", F(100 * s.AlertRate) + "%");
        AnsiConsole.Write(table);
    }

    private static string F(double value, string format = "F1") => value.ToString(format, CultureInfo.InvariantCulture);

    private static string ToJson(IReadOnlyDictionary<string, BacktestScore> scores) => JsonSerializer.Serialize(new
    {
        levels = scores.ToDictionary(s => s.Key, s => new Dictionary<string, double>
        {
            ["mae"] = s.Value.Mae,
            ["mae_naive"] = s.Value.MaeNaive,
            ["mae_seasonal_naive"] = s.Value.MaeSeasonalNaive,
            ["mase"] = s.Value.Mase,
            ["coverage80"] = s.Value.Coverage80,
            ["coverage80_all_series"] = s.Value.Coverage80AllSeries,
            ["regular_series"] = s.Value.RegularSeries,
            ["series"] = s.Value.Series,
            ["alert_rate"] = s.Value.AlertRate,
        }),
    }, new JsonSerializerOptions { WriteIndented = true });
}
