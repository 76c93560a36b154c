using StreamMetrics.Worker.Hosting;

namespace StreamMetrics.Worker.Tests.Hosting;

/// <summary>Configuration keys StreamMetrics does not know, and durations, from every source: appsettings.json, STREAMMETRICS__ variables and --set.</summary>
public sealed class SettingsLoaderTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("settings-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void A_misspelt_key_names_itself_its_source_and_the_key_it_was_meant_to_be()
    {
        var error = Assert.Throws<SettingsException>(() => Load("Influx:Databse=x"));

        Assert.Equal("Influx:Databse (from --set) is not a known key; did you mean Influx:Database?", error.Message);
    }

    [Fact]
    public void A_misspelt_key_in_appsettings_json_names_the_file()
    {
        File.WriteAllText(Path.Combine(_directory.FullName, "appsettings.json"), """{ "Metrics": { "AllowedLatenes": "00:10:00" } }""");

        var error = Assert.Throws<SettingsException>(() => Load());

        Assert.Equal("Metrics:AllowedLatenes (from appsettings.json) is not a known key; did you mean Metrics:AllowedLateness?", error.Message);
    }

    [Fact]
    public void An_unknown_key_far_from_any_known_one_still_names_the_nearest_and_never_its_value()
    {
        var error = Assert.Throws<SettingsException>(() => Load("Grafana:AdminPassword=hunter2"));

        Assert.StartsWith("Grafana:AdminPassword (from --set) is not a known key; the nearest known key is ", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
    }

    [Fact]
    public void Every_unknown_key_is_reported_and_nothing_else()
    {
        var error = Assert.Throws<SettingsException>(() => Load("Kafka:Topik=orders", "Influx:Url=htp://not-checked", "Kafka:Consumr:session.timeout.ms=6000"));

        Assert.Equal(
            [
                "Kafka:Consumr:session.timeout.ms (from --set) is not a known key; did you mean Kafka:Consumer:session.timeout.ms?",
                "Kafka:Topik (from --set) is not a known key; did you mean Kafka:Topic?",
            ], error.Message.Split(Environment.NewLine));
    }

    [Fact]
    public void Librdkafka_properties_and_logging_levels_are_not_checked()
    {
        var settings = Load("Kafka:Consumer:session.timeout.ms=6000", "Kafka:Producer:linger.ms=5", "Logging:LogLevel:Akka=Debug");

        Assert.Equal("6000", settings.Kafka.Consumer["session.timeout.ms"]);
    }

    [Fact]
    public void Configured_durations_take_units_like_the_command_line()
    {
        var settings = Load("Metrics:IdleTimeout=5s", "Metrics:Period=1d", "Influx:FlushInterval=200ms", "ShutdownTimeout=00:01:00");

        Assert.Equal(
            (TimeSpan.FromSeconds(5), TimeSpan.FromDays(1), TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(1)),
            (settings.Metrics.IdleTimeout, settings.Metrics.Period, settings.Influx.FlushInterval, settings.ShutdownTimeout));
    }

    [Fact]
    public void A_configured_duration_without_a_unit_is_refused_instead_of_read_as_days()
    {
        var error = Assert.Throws<SettingsException>(() => Load("Metrics:IdleTimeout=30"));

        Assert.Equal("Metrics:IdleTimeout '30' has no unit: write 30s, 30m, 30h or 30d (or [d.]hh:mm:ss)", error.Message);
    }

    [Fact]
    public void An_empty_value_stays_empty_when_durations_are_rewritten()
    {
        var settings = Load("Http:Listen=", "Metrics:IdleTimeout=5s");

        Assert.Equal("", settings.Http.Listen);
    }

    private Worker.Options.WorkerSettings Load(params string[] overrides) =>
        SettingsLoader.Load(SettingsLoader.Build(["Kafka:BootstrapServers=127.0.0.1:1", .. overrides], _directory.FullName));
}
