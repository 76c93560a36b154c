using Microsoft.Extensions.Hosting;

namespace StreamMetrics.Worker.Hosting;

/// <summary>Leaves Ctrl-C and SIGTERM to the command line, which turns them into a cancellation the verb drains on.</summary>
internal sealed class CommandLineLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
