using StreamMetrics.Core.Churn;
using StreamMetrics.Core.Time;

namespace StreamMetrics.Worker.Options;

/// <summary>Checks settings at start-up; each problem is one line that names the key and says what is wrong.</summary>
public static class SettingsValidator
{
    public static IReadOnlyList<string> Validate(WorkerSettings settings, bool needsKafka = true)
    {
        var errors = new List<string>();
        var kafka = settings.Kafka;
        if (needsKafka && string.IsNullOrWhiteSpace(kafka.BootstrapServers))
            errors.Add("Kafka:BootstrapServers is empty; set it to host:port[,host:port…]");
        RequireName(errors, "Kafka:Topic", kafka.Topic);
        RequireName(errors, "Kafka:GroupId", kafka.GroupId);
        RequireName(errors, "Kafka:DeadLetterTopic", kafka.DeadLetterTopic);
        RequireName(errors, "Kafka:AlertsTopic", kafka.AlertsTopic);
        RequireName(errors, "Kafka:PopulationTopic", kafka.PopulationTopic);
        RequireName(errors, "Kafka:ProfilesTopic", kafka.ProfilesTopic);
        foreach (var attribute in settings.Segments.AttributeList.Intersect(["rfm", "region", "channel"]))
            errors.Add($"Segments:Attributes names '{attribute}', which is already a scheme of its own; rename the profile attribute");
        RequirePositive(errors, "Kafka:CommitInterval", kafka.CommitInterval);
        RequirePositive(errors, "Kafka:RevokeTimeout", kafka.RevokeTimeout);
        if (kafka.MaxBatchSize <= 0) errors.Add($"Kafka:MaxBatchSize {kafka.MaxBatchSize} must be > 0");
        if (kafka.MaxBufferedBytesPerPartition < 1 << 20)
            errors.Add($"Kafka:MaxBufferedBytesPerPartition {kafka.MaxBufferedBytesPerPartition} must be at least 1048576 (1 MiB, the largest order)");
        if (kafka.MaxBufferedPerPartition < kafka.MaxBatchSize)
            errors.Add($"Kafka:MaxBufferedPerPartition {kafka.MaxBufferedPerPartition} must be at least Kafka:MaxBatchSize ({kafka.MaxBatchSize})");

        errors.AddRange(settings.Influx.Validate());
        RequireName(errors, "Influx:DeadLetterTopic", settings.PointsDeadLetterTopic);

        var metrics = settings.Metrics;
        RequirePositive(errors, "Metrics:Period", metrics.Period);
        if (metrics.Period > TimeSpan.Zero)
        {
            try { _ = new PeriodWindows(metrics.Period); }
            catch (ArgumentOutOfRangeException) { errors.Add($"Metrics:Period {metrics.Period} must divide a day or be a whole number of days"); }
        }
        RequirePositive(errors, "Demand:Period", settings.Demand.Period);
        RequirePositive(errors, "Scaling:CatchUpTarget", settings.Scaling.CatchUpTarget);
        RequirePositive(errors, "Metrics:ReportInterval", metrics.ReportInterval);
        if (settings.Http.Listen.Length > 0 && !System.Net.IPEndPoint.TryParse(settings.Http.Listen, out _))
            errors.Add($"Http:Listen '{settings.Http.Listen}' is not host:port with a numeric address, e.g. 127.0.0.1:9464 (empty turns it off)");
        if (settings.Scaling.LagThreshold <= 0) errors.Add($"Scaling:LagThreshold {settings.Scaling.LagThreshold} must be > 0");
        RequireName(errors, "Kafka:DemandAlertsTopic", kafka.DemandAlertsTopic);
        if (settings.Demand.ForecastHorizon is < 1 or > 366) errors.Add($"Demand:ForecastHorizon {settings.Demand.ForecastHorizon} must be between 1 and 366 days");
        foreach (var level in settings.Demand.ForecastLevelSet.Except(["total", "region", "category", "sku"]))
            errors.Add($"Demand:ForecastLevels names '{level}'; the levels are total, region, category and sku");
        if (settings.Demand.Period > TimeSpan.Zero)
        {
            try { _ = new PeriodWindows(settings.Demand.Period); }
            catch (ArgumentOutOfRangeException) { errors.Add($"Demand:Period {settings.Demand.Period} must divide a day or be a whole number of days"); }
        }
        if (metrics.AllowedLateness < TimeSpan.Zero) errors.Add($"Metrics:AllowedLateness {metrics.AllowedLateness} must not be negative");
        RequirePositive(errors, "Metrics:IdleTimeout", metrics.IdleTimeout);
        RequirePositive(errors, "Metrics:OrderIdRetention", metrics.OrderIdRetention);
        if (metrics.CustomerRetention < metrics.OrderIdRetention)
            errors.Add($"Metrics:CustomerRetention {metrics.CustomerRetention} must be at least Metrics:OrderIdRetention ({metrics.OrderIdRetention}), which keeps a customer's windows and order ids");
        RequirePositive(errors, "Metrics:MaxFutureSkew", metrics.MaxFutureSkew);
        RequirePositive(errors, "Metrics:PassivateAfter", metrics.PassivateAfter);
        if (metrics.Currency.Length is not (0 or 3) || !metrics.Currency.All(char.IsAsciiLetterUpper))
            errors.Add($"Metrics:Currency '{metrics.Currency}' must be empty or a three-letter ISO 4217 code such as GBP");
        RequireShare(errors, "Metrics:AtRiskPNoOrder", metrics.AtRiskPNoOrder);
        RequireShare(errors, "Metrics:ChurnedPNoOrder", metrics.ChurnedPNoOrder);
        RequireShare(errors, "Metrics:AtRiskGapPercentile", metrics.AtRiskGapPercentile);
        RequireShare(errors, "Metrics:ChurnedGapPercentile", metrics.ChurnedGapPercentile);
        if (metrics.AtRiskPNoOrder > metrics.ChurnedPNoOrder)
            errors.Add($"Metrics:AtRiskPNoOrder {metrics.AtRiskPNoOrder} must not exceed Metrics:ChurnedPNoOrder {metrics.ChurnedPNoOrder}");
        if (metrics.AtRiskGapPercentile > metrics.ChurnedGapPercentile)
            errors.Add($"Metrics:AtRiskGapPercentile {metrics.AtRiskGapPercentile} must not exceed Metrics:ChurnedGapPercentile {metrics.ChurnedGapPercentile}");
        if (!ModelNames.TryParseChoice(settings.Churn.Model, out _))
            errors.Add($"Churn:Model '{settings.Churn.Model}' is not a churn model; use auto, bgnbd or pareto_nbd");
        RequirePositive(errors, "ShutdownTimeout", settings.ShutdownTimeout);
        RequirePositive(errors, "StallTimeout", settings.StallTimeout);
        return errors;
    }

    private static void RequireName(List<string> errors, string key, string value)
    {
        if (string.IsNullOrWhiteSpace(value)) errors.Add($"{key} is empty");
    }

    private static void RequireShare(List<string> errors, string key, double value)
    {
        if (value is not (>= 0 and <= 1)) errors.Add($"{key} {value} must be between 0 and 1");
    }

    private static void RequirePositive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero) errors.Add($"{key} {value} must be a positive duration");
    }
}
