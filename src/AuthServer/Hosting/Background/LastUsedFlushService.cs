using AuthServer.Core.Identity;
using Microsoft.Extensions.Options;

namespace AuthServer.Hosting;

/// <summary>Writes the batched last-used times periodically, and once more after the web server has stopped.</summary>
public sealed class LastUsedFlushService(
    LastUsedRecorder recorder, IOptions<CredentialOptions> options, ILogger<LastUsedFlushService> log) : IHostedLifecycleService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(LoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_loop is not null) await _loop.WaitAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(options.Value.LastUsedFlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token)) await FlushAsync(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        try
        {
            await recorder.FlushAsync(ct);
        }
        // The times stay queued for the next flush whatever went wrong; the loop must go on.
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("Writing last-used times failed, will retry: {Message}", e.Message);
        }
    }
}
