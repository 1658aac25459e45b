using AuthServer.Core.Audit;
using AuthServer.Core.Signing;
using Microsoft.Extensions.Options;

namespace AuthServer.Hosting;

/// <summary>
/// Runs the rotation check (<see cref="KeyRotation"/>) and the expiry warnings on every replica,
/// every AuthServer:Signing:RotationCheckInterval.
/// </summary>
public sealed class KeyRotationService(
    IServiceScopeFactory scopes, SigningExpiry expiry, IOptions<SigningOptions> options, TimeProvider time, ILogger<KeyRotationService> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RotationCheckInterval, time);
        try
        {
            do
            {
                await RunOnceAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private async Task RunOnceAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<KeyRotation>().RunOnceAsync(ct);
            await expiry.CheckAsync(ct);
        }
        // A failed check (a busy database, a replica racing) is retried at the next tick; the
        // active key keeps signing meanwhile.
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("Signing key rotation check failed, will retry: {Message}", e.Message);
        }
    }
}
