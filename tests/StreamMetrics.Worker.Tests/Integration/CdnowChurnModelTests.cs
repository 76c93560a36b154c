using StreamMetrics.Core.Churn;

namespace StreamMetrics.Worker.Tests.Integration;

[Collection(nameof(ServersCollection))]
public sealed class CdnowChurnModelTests(ServersFixture servers)
{
    private static readonly DateTimeOffset CalibrationEnd = DateTimeOffset.Parse("1997-09-30T00:00:00Z");

    [Fact]
    public async Task The_CDNOW_calibration_fits_the_papers_models_and_every_customer_gets_its_closed_form_figures()
    {
        const string database = "cdnow";
        await ReplayAndRunCalibrationAsync("cdnow", database);

        var fits = await PopulationFitsAsync(database);
        var bgNbdFit = BgNbdFitOf(fits[ModelNames.BgNbd]);
        AssertWithinOnePercent(0.2426, bgNbdFit.Parameters.R);
        AssertWithinOnePercent(30.8952, bgNbdFit.Parameters.Alpha);
        AssertWithinOnePercent(0.7929, bgNbdFit.Parameters.A);
        AssertWithinOnePercent(2.4259, bgNbdFit.Parameters.B);
        Assert.Equal(2_357, bgNbdFit.Customers);

        // Issue 16's fit, in weeks α 10.578 and β 11.669 (the BTYD vignette: 10.5802, 11.6562; the likelihood is flat in β).
        var paretoNbdFit = ParetoNbdFitOf(fits[ModelNames.ParetoNbd]);
        AssertWithinOnePercent(0.5533, paretoNbdFit.Parameters.R);
        AssertWithinOnePercent(74.04, paretoNbdFit.Parameters.Alpha);
        AssertWithinOnePercent(0.6062, paretoNbdFit.Parameters.S);
        AssertWithinOnePercent(81.68, paretoNbdFit.Parameters.Beta);
        Assert.Equal(2_357, paretoNbdFit.Customers);

        // Fader & Hardie (2013): 6.25, 3.74, 15.44 on the 946 customers who bought again.
        var spend = fits[ModelNames.GammaGamma];
        var (p, q, gamma) = (spend.Number("p"), spend.Number("q"), spend.Number("gamma"));
        AssertWithinOnePercent(6.2496, p);
        AssertWithinOnePercent(3.7442, q);
        AssertWithinOnePercent(15.4435, gamma);
        Assert.Equal(946, spend.Integer("customers"));

        // Churn:Model is auto: the higher likelihood evaluates customers, which on CDNOW is BG/NBD's.
        IPurchaseModel inUse = paretoNbdFit.LogLikelihood > bgNbdFit.LogLikelihood ? paretoNbdFit : bgNbdFit;
        Assert.Equal(ModelNames.BgNbd, inUse.Name);

        var figures = (await InfluxAnswer.QueryAsync(servers.Influx, database,
                "SELECT last(p_alive) AS p_alive, last(p_no_order_90d) AS p_no_order, last(expected_orders_90d) AS expected_90, last(expected_spend) AS expected_spend, last(clv_12m) AS clv FROM customer_metrics GROUP BY customer_id"))
            .ToDictionary(s => s.Tags["customer_id"], s => Assert.Single(s.Rows));
        var customers = CalibrationCustomers();
        Assert.Equal(2_357, figures.Count);
        foreach (var (customer, (history, repeatSpend)) in customers)
        {
            var written = figures[customer];
            Assert.Equal(inUse.PAlive(history), written.Number("p_alive"), 1e-12);
            Assert.Equal(inUse.ExpectedPurchases(history, 90), written.Number("expected_90"), 1e-9);
            // BG/NBD's P(no purchase in 90 days): dead, or alive with λ ~ Gamma(r+x, α+T) and silent for 90 days.
            var (r, alpha) = (bgNbdFit.Parameters.R, bgNbdFit.Parameters.Alpha);
            var pAlive = inUse.PAlive(history);
            Assert.Equal(1 - pAlive + pAlive * Math.Pow((alpha + history.T) / (alpha + history.T + 90), r + history.X), written.Number("p_no_order"), 1e-9);

            // Gamma-Gamma's E[Z | x, m̄ₓ] = p(γ + m̄ₓx)/(px + q − 1), the population mean pγ/(q − 1) without repeat purchases.
            var x = history.X;
            var meanSpend = x > 0 ? (double)repeatSpend / x : 0;
            var expectedSpend = p * (gamma + meanSpend * x) / (p * x + q - 1);
            // clv_12m = Σₖ₌₁..₁₂ (E[X(30k)] − E[X(30(k−1))]) · E[Z] / 1.01ᵏ, with E[X(0)] = 0.
            var clv = Enumerable.Range(1, 12).Sum(k =>
                (inUse.ExpectedPurchases(history, 30 * k) - (k == 1 ? 0 : inUse.ExpectedPurchases(history, 30 * (k - 1)))) * expectedSpend / Math.Pow(1.01, k));
            Assert.True(clv > 0, $"customer {customer}: clv {clv}");
            Assert.Equal(expectedSpend, written.Number("expected_spend"), expectedSpend * 1e-9);
            Assert.Equal(clv, written.Number("clv"), clv * 1e-9);
        }
    }

    [Fact]
    public async Task Events_alerts_and_segment_figures_come_out_of_the_CDNOW_calibration_under_the_configured_Pareto_NBD()
    {
        const string topic = "cdnow-events", database = "cdnow_events";
        await ReplayAndRunCalibrationAsync(topic, database, "--set", "Churn:Model=pareto_nbd");

        // Pareto/NBD evaluates every customer, although BG/NBD fits CDNOW better and auto would take it.
        var fits = await PopulationFitsAsync(database);
        var paretoNbd = ParetoNbdFitOf(fits[ModelNames.ParetoNbd]);
        Assert.True(BgNbdFitOf(fits[ModelNames.BgNbd]).LogLikelihood > paretoNbd.LogLikelihood);
        var pAlive = (await InfluxAnswer.QueryAsync(servers.Influx, database, "SELECT last(p_alive) AS p_alive FROM customer_metrics GROUP BY customer_id"))
            .ToDictionary(s => s.Tags["customer_id"], s => Assert.Single(s.Rows).Number("p_alive"));
        foreach (var (customer, (history, _)) in CalibrationCustomers())
            Assert.Equal(paretoNbd.PAlive(history), pAlive[customer], 1e-12);

        using var events = await servers.Influx.QueryAsync(database, "SELECT count(orders_30d) FROM customer_events GROUP BY \"event\"");
        var counts = Testing.InfluxdServer.Series(events).ToDictionary(
            s => s.GetProperty("tags").GetProperty("event").GetString()!, s => s.GetProperty("values")[0][1].GetInt32());
        Assert.Equal(2_357, counts["new_customer"]);
        Assert.True(counts.GetValueOrDefault("at_risk") > 0 && counts.GetValueOrDefault("churned") > 0, string.Join(", ", counts));

        using var segments = await servers.Influx.QueryAsync(database,
            "SELECT sum(customers) FROM segment_metrics WHERE scheme = 'rfm' AND time = '1997-09-29T00:00:00Z'");
        Assert.Equal(2_357, Testing.InfluxdServer.Series(segments).Single().GetProperty("values")[0][1].GetInt32());

        var alerts = AlertReader.ReadAll(servers.Kafka.BootstrapServers, $"{topic}.alerts", counts.Values.Sum());
        Assert.Equal(counts.Values.Sum(), alerts.Select(a => a.GetProperty("alertId").GetString()).Distinct().Count());
        Assert.All(alerts, a => Assert.Equal(a.GetProperty("customerId").GetString(), a.GetProperty("key").GetString()));
    }

    [Fact]
    public async Task Two_workers_share_their_population_samples_and_each_fits_the_whole_population()
    {
        const string topic = "cdnow-shared", database = "cdnow_shared";
        await servers.Influx.CreateDatabaseAsync(database);
        var replay = await WorkerProcess.RunAsync(
            ["replay", "--format", "cdnow", "--file", Testing.DataSets.Find("cdnow/CDNOW_sample.txt"), "--to", "1997-10-01T00:00:00Z",
             "--topic", topic, "--set", $"Kafka:BootstrapServers={servers.Kafka.BootstrapServers}"], TimeSpan.FromMinutes(3));
        Assert.True(replay.ExitCode == 0, replay.Stderr);

        string[] run = ["run", "--until-caught-up", "--end-time", "1997-09-30T00:00:00Z", .. servers.WorkerSettings(topic, topic, database)];
        await using var first = WorkerProcess.Start(run);
        await using var second = WorkerProcess.Start(run);
        var exits = await Task.WhenAll(first.WaitForExitAsync(TimeSpan.FromMinutes(5)), second.WaitForExitAsync(TimeSpan.FromMinutes(5)));
        Assert.True(exits.All(code => code == 0), first.StandardError + second.StandardError);

        // Each worker logs its final fit; both saw all 2,357 customers, half of them through the other's samples.
        foreach (var worker in new[] { first, second })
            Assert.True(worker.StandardError.Contains("BG/NBD fitted on 2357 customers"), worker.StandardError);
        var bgNbd = (await PopulationFitsAsync(database))[ModelNames.BgNbd];
        Assert.Equal(2_357, bgNbd.Integer("customers"));
        AssertWithinOnePercent(0.2426, bgNbd.Number("r"));
        AssertWithinOnePercent(30.8952, bgNbd.Number("alpha_days"));
    }

    /// <summary>The commands: replay CDNOW_sample up to 1997-10-01, then a bounded run measured at 1997-09-30, with <paramref name="settings"/>.</summary>
    private async Task ReplayAndRunCalibrationAsync(string topic, string database, params string[] settings)
    {
        await servers.Influx.CreateDatabaseAsync(database);
        var replay = await WorkerProcess.RunAsync(
            ["replay", "--format", "cdnow", "--file", Testing.DataSets.Find("cdnow/CDNOW_sample.txt"), "--to", "1997-10-01T00:00:00Z",
             "--topic", topic, "--set", $"Kafka:BootstrapServers={servers.Kafka.BootstrapServers}"], TimeSpan.FromMinutes(3));
        Assert.True(replay.ExitCode == 0, replay.Stderr);
        var run = await WorkerProcess.RunAsync(
            ["run", "--until-caught-up", "--end-time", "1997-09-30T00:00:00Z", .. servers.WorkerSettings(topic, topic, database), .. settings], TimeSpan.FromMinutes(5));
        Assert.True(run.ExitCode == 0, run.Stderr);
    }

    /// <summary>The whole population's fit of each model: the newest <c>model</c> point without a partition tag, by its <c>model</c> tag.</summary>
    private async Task<Dictionary<string, InfluxRow>> PopulationFitsAsync(string database) =>
        (await InfluxAnswer.QueryAsync(servers.Influx, database, "SELECT * FROM model WHERE partition = '' GROUP BY \"model\" ORDER BY time DESC LIMIT 1"))
            .ToDictionary(s => s.Tags["model"], s => Assert.Single(s.Rows));

    private static BgNbdFit BgNbdFitOf(InfluxRow point) =>
        new(new BgNbdParameters(point.Number("r"), point.Number("alpha_days"), point.Number("a"), point.Number("b")),
            point.Number("log_likelihood"), (int)point.Integer("customers"));

    private static ParetoNbdFit ParetoNbdFitOf(InfluxRow point) =>
        new(new ParetoNbdParameters(point.Number("r"), point.Number("alpha_days"), point.Number("s"), point.Number("beta_days")),
            point.Number("log_likelihood"), (int)point.Integer("customers"));

    private static void AssertWithinOnePercent(double published, double fitted) => Assert.Equal(published, fitted, Math.Abs(published) * 0.01);

    /// <summary>
    /// Each sample customer's (x, tₓ, T) in days and its repeat spend (the dollars of every purchase day but the first),
    /// straight from the file: purchase dates up to the calibration end.
    /// </summary>
    private static Dictionary<string, (CustomerHistory History, decimal RepeatSpend)> CalibrationCustomers() =>
        File.ReadLines(Testing.DataSets.Find("cdnow/CDNOW_sample.txt"))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 5)
            .Select(fields => (Customer: fields[1], Day: DateTimeOffset.ParseExact(fields[2], "yyyyMMdd", null, System.Globalization.DateTimeStyles.AssumeUniversal),
                Dollars: decimal.Parse(fields[4], System.Globalization.CultureInfo.InvariantCulture)))
            .Where(purchase => purchase.Day <= CalibrationEnd)
            .GroupBy(purchase => purchase.Customer)
            .ToDictionary(g => g.Key, g =>
            {
                var days = g.Select(p => p.Day).Distinct().Order().ToList();
                var repeatSpend = g.Where(p => p.Day != days[0]).Sum(p => p.Dollars);
                return (new CustomerHistory(days.Count - 1, (days[^1] - days[0]).TotalDays, (CalibrationEnd - days[0]).TotalDays), repeatSpend);
            });
}
