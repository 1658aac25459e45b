using AuthServer.Core.Audit;

namespace AuthServer.Hosting;

/// <summary>
/// Runs the audit writer while the server runs. The queue is drained in <see cref="StoppedAsync"/>,
/// which the host calls after every hosted service has stopped, the web server included, so the
/// events of requests finished during a graceful shutdown are written too.
/// </summary>
public sealed class AuditWriterService(AuditWriter writer) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        writer.Start();
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => writer.CompleteAsync(cancellationToken);
}
