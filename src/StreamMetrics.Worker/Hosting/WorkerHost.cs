using Akka.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using StreamMetrics.Kafka.Logging;
using StreamMetrics.Worker.Actors;

namespace StreamMetrics.Worker.Hosting;

/// <summary>Wires logging and the actor system in one place, for every verb that runs actors.</summary>
public static class WorkerHost
{
    public static IHost Build(IConfiguration configuration)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(configuration);
        AddLogging(builder.Logging, configuration);
        builder.Services.AddSingleton<IHostLifetime, CommandLineLifetime>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddAkka("streammetrics", akka => akka
            .AddHocon(CustomerMailbox.Configuration, HoconAddMode.Prepend)
            .ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = Akka.Event.LogLevel.WarningLevel;
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            }));
        var host = builder.Build();
        KafkaClientLog.Use(host.Services.GetRequiredService<ILoggerFactory>());
        return host;
    }

    /// <summary>
    /// Logs go to standard error, so that standard output stays for results (dev-kafka's first line, summaries):
    /// one readable line per event, or one JSON object per line with <c>Logging:Format=json</c>.
    /// </summary>
    public static void AddLogging(ILoggingBuilder logging, IConfiguration configuration)
    {
        logging.AddConfiguration(configuration.GetSection("Logging"));
        switch (configuration["Logging:Format"]?.ToLowerInvariant())
        {
            case null or "" or "text":
                logging.AddSimpleConsole(console =>
                {
                    console.SingleLine = true;
                    console.TimestampFormat = "HH:mm:ss.fff ";
                });
                break;
            case "json":
                logging.AddJsonConsole(console =>
                {
                    console.UseUtcTimestamp = true;
                    console.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                    console.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
                });
                break;
            default:
                throw new SettingsException($"Logging:Format '{configuration["Logging:Format"]}' is neither text nor json");
        }
        logging.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    /// <summary>A logger factory for verbs without actors.</summary>
    public static ILoggerFactory CreateLoggerFactory(IConfiguration configuration) =>
        LoggerFactory.Create(logging => AddLogging(logging, configuration));
}
