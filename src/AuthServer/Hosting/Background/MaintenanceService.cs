using AuthServer.Core.Audit;
using AuthServer.Core.SignIn;
using Microsoft.Extensions.Options;

namespace AuthServer.Hosting;

/// <summary>Periodic housekeeping: audit retention, old unlock records, leaked-empty lockout counters, sources no longer familiar.</summary>
public sealed class MaintenanceService(
    IServiceScopeFactory scopes, AuditPruner pruner, SmartLockout throttle, FamiliarSources familiar, AuditWriter audit, IOptions<AuditOptions> options, ILogger<MaintenanceService> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PruneInterval);
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
            await audit.FlushSampledAsync();
            var pruned = await pruner.PruneAsync(ct);
            if (pruned > 0) log.LogInformation("Pruned {Count} audit events older than {Days} days", pruned, options.Value.RetentionDays);
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<LockoutService>().PruneReleasesAsync(ct);
            throttle.Sweep();
            await familiar.PruneAsync(ct);
        }
        // Housekeeping must never take the server down; it runs again at the next tick.
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("Maintenance failed, will retry: {Message}", e.Message);
        }
    }
}
