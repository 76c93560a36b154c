using StreamMetrics.Worker.Cli;

return await StreamMetricsCommand.InvokeAsync(args);
