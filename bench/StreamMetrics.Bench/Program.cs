using StreamMetrics.Bench;

return await BenchCommand.InvokeAsync(args);
