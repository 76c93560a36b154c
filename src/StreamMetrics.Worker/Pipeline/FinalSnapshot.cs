using Microsoft.Extensions.Logging;
using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Customers;
using StreamMetrics.Core.Forecasting;
using StreamMetrics.Influx.LineProtocol;
using StreamMetrics.Kafka.Producers;
using StreamMetrics.Worker.Actors.Messages;
using StreamMetrics.Worker.Options;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>The end of a bounded run: one fit of the whole population, and every customer evaluated under it.</summary>
public sealed class FinalSnapshot(PopulationExchange population, MetricsOptions metrics, ChurnModelChoice churnModel, DemandOptions demand, ILogger log, TimeProvider time)
{
    private readonly PopulationGatherer _population = new(population, log, time);

    /// <summary>
    /// Fits the population models on every customer of every partition (this worker's, and the samples other
    /// workers published for theirs), for every customer to be evaluated and reported under that fit; null when there is
    /// no customer. The fit starts from the same point each time and sees the customers in one order, so it is a function
    /// of the records alone.
    /// </summary>
    /// <param name="partitions">This worker's partitions, each with its windows emitted already.</param>
    /// <param name="partitionsWithData">The partitions holding records: the fit waits for the samples of those other workers own.</param>
    /// <returns>The model, and the points of the population as a whole (the model's parameters, the customer-based forecast).</returns>
    public async Task<(PopulationModel? Model, IReadOnlyList<Point> Points)> FitAsync(IReadOnlyList<PartitionTask> partitions, IReadOnlyCollection<int> partitionsWithData)
    {
        var summaries = await Task.WhenAll(partitions.Select(partition => partition.SummarizeAsync()));
        var customers = (await _population.GatherAsync(summaries, partitionsWithData, final: true))
            .OrderBy(c => c.CustomerId, StringComparer.Ordinal).ToList();
        if (customers.Count == 0) return (null, []);

        var model = PopulationModel.From(customers, metrics.ChurnThresholds, churnModel);
        var watermark = summaries.Max(s => s.Watermark) ?? DateTimeOffset.UnixEpoch;
        List<Point> points = [.. MetricsPoints.Models(model, watermark)];
        if (model.PurchaseModel is { } purchases)
            points.AddRange(CustomerBasedForecast.Daily(purchases, customers, demand.ForecastHorizon)
                .Select(day => DemandPoints.FromCustomers(purchases.Name, watermark, day.Horizon, day.Orders, day.Revenue)));
        LogFits(model);
        return (model, points);
    }

    private void LogFits(PopulationModel model)
    {
        if (model.Purchases.BgNbd is { Parameters: var (r, alpha, a, b) } bgNbd)
            log.LogInformation("BG/NBD fitted on {Customers} customers: r={R:G5} alpha={Alpha:G5} days a={A:G5} b={B:G5} log-likelihood={LogLikelihood:F1}",
                bgNbd.Customers, r, alpha, a, b, bgNbd.LogLikelihood);
        if (model.Purchases.ParetoNbd is { Parameters: var (pr, pAlpha, s, beta) } paretoNbd)
            log.LogInformation("Pareto/NBD fitted on {Customers} customers: r={R:G5} alpha={Alpha:G5} days s={S:G5} beta={Beta:G5} days log-likelihood={LogLikelihood:F1}",
                paretoNbd.Customers, pr, pAlpha, s, beta, paretoNbd.LogLikelihood);
        if (model.Spend is { Parameters: var (p, q, gamma) } spend)
            log.LogInformation("Gamma-Gamma fitted on {Customers} repeat customers: p={P:G5} q={Q:G5} gamma={Gamma:G5} log-likelihood={LogLikelihood:F1}",
                spend.Customers, p, q, gamma, spend.LogLikelihood);
        if (model.PurchaseModel is { } chosen)
            log.LogInformation("Customers evaluated with {Model} (Churn:Model {Choice})", chosen.Name, ModelNames.Of(churnModel));
    }
}
