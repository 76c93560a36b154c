using Akka.Actor;
using Microsoft.Extensions.Logging;
using StreamMetrics.Core.Profiles;
using StreamMetrics.Kafka;
using StreamMetrics.Kafka.Producers;
using StreamMetrics.Kafka.Profiles;
using StreamMetrics.Kafka.State;
using StreamMetrics.Worker.Options;

namespace StreamMetrics.Worker.Pipeline;

/// <summary>The worker's two pipelines (orders, demand sums) and the producers they share, for one point sink: what <c>run</c>, <c>demo</c> and <c>bench</c> run.</summary>
public sealed class WorkerPipelines : IDisposable
{
    private readonly TopicProducer _alerts, _demandPartials, _demandAlerts;
    private readonly ChangelogWriter _changelog;
    private readonly PopulationExchange _population;
    private readonly DeadLetterProducer _deadLetters;
    private readonly ProfileFeed _profiles;
    private readonly OrderPipeline _orders;
    private readonly DemandSumPipeline _demandSums;

    public WorkerPipelines(ActorSystem system, WorkerSettings settings, IPointSink sink, ILoggerFactory loggers)
    {
        var kafka = settings.Kafka;
        var clients = kafka.ClientSettings;
        _alerts = new TopicProducer(clients, kafka.AlertsTopic);
        _demandPartials = new TopicProducer(clients, kafka.DemandTopicName);
        _demandAlerts = new TopicProducer(clients, kafka.DemandAlertsTopic);
        _changelog = new ChangelogWriter(clients, kafka.StateTopicName);
        _population = new PopulationExchange(clients, kafka.PopulationTopic, kafka.GroupId);
        _deadLetters = new DeadLetterProducer(clients, kafka.DeadLetterTopic);
        _profiles = new ProfileFeed(new ProfilesTopicReader(clients, kafka.ProfilesTopic),
            new ProfileTable(settings.Segments.AttributeList), _deadLetters, loggers.CreateLogger<ProfileFeed>());
        _orders = new OrderPipeline(system, kafka, settings.Metrics, settings.Churn.Choice, settings.Demand, settings.Influx.CustomerSeries, sink, _deadLetters, _alerts,
            _demandPartials, _changelog, _population, _profiles, Stats, loggers.CreateLogger<OrderPipeline>(), TimeProvider.System);
        _demandSums = new DemandSumPipeline(system, kafka, settings.Demand, sink, _deadLetters, _demandAlerts, Stats.Demand, loggers.CreateLogger<DemandSumPipeline>());
    }

    public PipelineStats Stats { get; } = new();

    /// <summary>
    /// Runs both until <paramref name="stopping"/> fires or the bounded <paramref name="run"/> ends. With
    /// <paramref name="demandStopping"/>, demand is summed until the partials of everything the orders
    /// pipeline read are in, however it stopped, unless that token fires first.
    /// </summary>
    /// <returns>True when the orders pipeline wrote out and committed everything it read.</returns>
    public async Task<bool> RunAsync(PipelineRun run, CancellationToken stopping, CancellationToken? demandStopping = null)
    {
        var orders = _orders.RunAsync(run, stopping);
        var demand = demandStopping is { } untilAllSummed
            ? _demandSums.RunAsync(run with { UntilCaughtUp = true }, orders, untilAllSummed)
            : _demandSums.RunAsync(run, orders, stopping);
        var complete = await orders;
        await demand;
        return complete;
    }

    public void Dispose()
    {
        _alerts.Dispose();
        _demandPartials.Dispose();
        _demandAlerts.Dispose();
        _changelog.Dispose();
        _population.Dispose();
        _profiles.Dispose();
        _deadLetters.Dispose();
    }
}
