namespace StreamMetrics.Worker.Hosting;

/// <summary>A configuration problem, reported as one line per problem and exit code 2.</summary>
public sealed class SettingsException(string message) : Exception(message);
