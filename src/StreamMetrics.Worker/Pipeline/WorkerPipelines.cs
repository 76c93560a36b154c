using Akka.Actor;
using Microsoft.Extensions.Logging;
using StreamMetrics.Core.Profiles;
using StreamMetrics.Kafka;
using StreamMetrics.Kafka.Producers;
using StreamMetrics.Kafka.Profiles;
using StreamMetrics.Kafka.State;
using StreamMetrics.Worker.Options;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>The worker's two pipelines (orders, demand sums) and the topic writers they share, for one point sink: what <c>run</c>, <c>demo</c> and the end-to-end benchmark (bench/StreamMetrics.Bench) run.</summary>
public sealed class WorkerPipelines : IDisposable
{
    private readonly TopicProducer _alerts, _demandPartials, _demandAlerts;
    private readonly ChangelogWriter _changelog;
    private readonly PopulationExchange _population;
    private readonly DeadLetterProducer _deadLetters;
    private readonly ProfileFeed _profiles;
    private readonly OrderPipeline _orders;
    private readonly DemandSumPipeline _demandSums;
    private readonly ILogger<WorkerPipelines> _log;

    /// <param name="records">The producer everything goes through; the caller disposes of it after this, so that it flushes last.</param>
    public WorkerPipelines(ActorSystem system, WorkerSettings settings, IPointSink sink, RecordCollector records, ILoggerFactory loggers)
    {
        var kafka = settings.Kafka;
        var clients = kafka.ClientSettings;
        _alerts = new TopicProducer(records, kafka.AlertsTopic);
        _demandPartials = new TopicProducer(records, kafka.DemandTopicName);
        _demandAlerts = new TopicProducer(records, kafka.DemandAlertsTopic);
        _changelog = new ChangelogWriter(records, kafka.StateTopicName);
        _population = new PopulationExchange(records, clients, kafka.PopulationTopic, kafka.GroupId);
        _deadLetters = new DeadLetterProducer(records, kafka.DeadLetterTopic);
        _profiles = new ProfileFeed(new ProfilesTopicReader(clients, kafka.ProfilesTopic),
            new ProfileTable(settings.Segments.AttributeList), _deadLetters, loggers.CreateLogger<ProfileFeed>());
        _orders = new OrderPipeline(system, kafka, settings.Metrics, settings.Churn.Choice, settings.Demand, settings.Influx.CustomerSeries, sink, _deadLetters, _alerts,
            _demandPartials, _changelog, _population, _profiles, Stats, loggers.CreateLogger<OrderPipeline>(), TimeProvider.System, settings.StallTimeout);
        _log = loggers.CreateLogger<WorkerPipelines>();
        _demandSums = new DemandSumPipeline(system, kafka, settings.Demand, settings.Metrics.OrderIdRetention, sink, _deadLetters, _demandAlerts, Stats.Demand, loggers.CreateLogger<DemandSumPipeline>());
    }

    public PipelineStats Stats { get; } = new();

    /// <summary>
    /// Runs both until <paramref name="stopping"/> fires or the bounded <paramref name="run"/> ends. With
    /// <paramref name="demandStopping"/>, demand is summed until the partials of everything the orders
    /// pipeline read are in, however it stopped, unless that token fires first.
    /// </summary>
    /// <returns>True when the orders pipeline wrote out and committed everything it read.</returns>
    /// <exception cref="StageFailedException">A pipeline failed; the other was stopped, and wrote out and committed what it could within ShutdownTimeout.</exception>
    public async Task<bool> RunAsync(PipelineRun run, CancellationToken stopping, CancellationToken? demandStopping = null)
    {
        using var stopOrders = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        using var stopDemand = CancellationTokenSource.CreateLinkedTokenSource(demandStopping ?? stopping);
        var ordersRun = _orders.RunAsync(run, stopOrders.Token);
        var orders = Named(OrdersStage, ordersRun);
        var demand = Named(DemandStage, _demandSums.RunAsync(demandStopping is null ? run : run with { UntilCaughtUp = true }, orders, stopDemand.Token));

        // Whichever fails first stops the other at once: neither runs on past a failure nobody sees.
        var first = await Task.WhenAny(orders, demand);
        if (first.IsFaulted)
        {
            await stopOrders.CancelAsync();
            await stopDemand.CancelAsync();
            try
            {
                await (first == orders ? demand : orders);
            }
            catch (StageFailedException second)
            {
                // The first failure is the run's one line; what the other met while stopping is context, worded so that
                // nobody reads it as a second failure of the run.
                _log.LogWarning("The {Stage} did not stop cleanly after the first failure: {Reason}", second.Stage, second.Reason);
            }
            await first;
        }
        await orders;
        await demand;
        return await ordersRun;
    }

    private const string OrdersStage = "orders pipeline", DemandStage = "demand pipeline";

    /// <summary>The stage's run, whose failure names the stage.</summary>
    private static async Task Named(string stage, Task running)
    {
        try
        {
            await running;
        }
        catch (Exception e)
        {
            throw new StageFailedException(stage, e);
        }
    }

    public void Dispose()
    {
        _population.Dispose();
        _profiles.Dispose();
    }
}
