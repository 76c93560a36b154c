using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Demand;
using StreamMetrics.Core.Forecasting;
using StreamMetrics.Worker.Publishing;

namespace StreamMetrics.Worker.Cli;

/// <summary>
/// <c>backtest</c>: rolling-origin evaluation of the live demand path on a data file (the same monitors, corrections,
/// alerts and reconciliation as <c>run</c>, fed day by day), against naive baselines; with <c>--churn</c>, the churn
/// states at a cut (the same fit and rules as the final snapshot of <c>run --until-caught-up --end-time</c>) against
/// whether each customer bought in the 90 days after it.
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
        var churn = new Option<bool>("--churn") { Description = "Score the churn states instead: every customer evaluated at --cut (Metrics:AtRiskPNoOrder, Metrics:ChurnedPNoOrder, Churn:Model) against no purchase in the 90 days after it" };
        var cut = GlobalOptions.InstantOption("--cut", "With --churn: where the file is cut; orders before it are the history, the 90 days after it the outcome");
        var command = new Command("backtest", "Score the live demand monitor on a data file: horizons 1-7 days from every day of the last weeks, against naive and seasonal-naive forecasts, with the alert rate; or, with --churn, the churn states at a cut. Reads the file only: needs neither Kafka nor InfluxDB")
        {
            format, file, levels, weeks, topSkus, json, perSeries, churn, cut,
        };
        command.SetAction((parse, _) => GlobalOptions.Guard(async () =>
        {
            var path = parse.GetValue(file)!;
            if (parse.GetValue(churn) != parse.GetValue(cut).HasValue)
            {
                await Console.Error.WriteLineAsync("--churn and --cut go together: backtest --churn --cut 2011-09-10 --file ...");
                return ExitCodes.Usage;
            }
            if (parse.GetValue(cut) is { } at)
            {
                var settings = GlobalOptions.Load(GlobalOptions.Configuration(parse), needsKafka: false);
                var run = ChurnBacktest.Evaluate(DataFile.Read(path, parse.GetValue(format)).Orders, at, settings.Metrics.ChurnThresholds, settings.Churn.Choice);
                PrintChurn(run, at);
                if (parse.GetValue(json) is { } churnTarget)
                    await File.WriteAllTextAsync(churnTarget.FullName, ChurnJson(run, at));
                return ExitCodes.Done;
            }
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

    private static void PrintChurn(ChurnBacktestRun run, DateTimeOffset cut)
    {
        var model = run.Model.PurchaseModel?.Name ?? "none (too few repeat buyers to fit)";
        var table = new Table().Title($"Churn backtest at {cut:yyyy-MM-dd HH:mm}Z, {model}: at_risk or churned against no purchase in the next {ChurnThresholds.HorizonDays:F0} days");
        foreach (var column in new[] { "", "customers", "quiet 90d", "flagged", "precision", "recall", "F1", "AUC p_no_order_90d", "AUC p_alive" })
            table.AddColumn(new TableColumn(column).RightAligned());
        var (repeat, all) = run.Score();
        foreach (var (name, s) in new[] { ("repeat buyers", repeat), ("all", all) })
            table.AddRow(name, $"{s.Customers}", $"{s.Positives}", $"{s.Flagged}", F(s.Precision, "F3"), F(s.Recall, "F3"), F(s.F1, "F3"), F(s.AucPNoOrder, "F3"), F(s.AucPAlive, "F3"));
        AnsiConsole.Write(table);
    }

    private static string ChurnJson(ChurnBacktestRun run, DateTimeOffset cut)
    {
        static Dictionary<string, double> Figures(ChurnScore s) => new()
        {
            ["customers"] = s.Customers,
            ["no_purchase"] = s.Positives,
            ["flagged"] = s.Flagged,
            ["true_positives"] = s.TruePositives,
            ["precision"] = s.Precision,
            ["recall"] = s.Recall,
            ["f1"] = s.F1,
            ["auc_p_no_order_90d"] = s.AucPNoOrder,
            ["auc_p_alive"] = s.AucPAlive,
        };
        var (repeat, all) = run.Score();
        return JsonSerializer.Serialize(new
        {
            cut = cut.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            horizon_days = ChurnThresholds.HorizonDays,
            model = run.Model.PurchaseModel?.Name,
            repeat_buyers = Figures(repeat),
            all_customers = Figures(all),
        }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });
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
