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
    : PeriodicService(time, log)
{
    protected override TimeSpan Interval => options.Value.RotationCheckInterval;

    // A failed check (a busy database, a replica racing) is retried at the next tick; the active key keeps signing meanwhile.
    protected override string Job => "Signing key rotation check";

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<KeyRotation>().RunOnceAsync(ct);
        await expiry.CheckAsync(ct);
    }
}
