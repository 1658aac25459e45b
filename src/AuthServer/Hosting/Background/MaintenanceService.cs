using AuthServer.Core.Audit;
using AuthServer.Core.Identity;
using AuthServer.Core.SignIn;
using Microsoft.Extensions.Options;

namespace AuthServer.Hosting;

/// <summary>Periodic housekeeping: audit retention, old unlock records, locks that ran out, long-ended refresh sessions, leaked-empty lockout counters, sources no longer familiar.</summary>
public sealed class MaintenanceService(
    IServiceScopeFactory scopes, AuditPruner pruner, SmartLockout throttle, FamiliarSources familiar, AuditWriter audit, IOptions<AuditOptions> options, TimeProvider time, ILogger<MaintenanceService> log)
    : PeriodicService(time, log)
{
    protected override TimeSpan Interval => options.Value.PruneInterval;
    protected override string Job => "Maintenance";

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        await audit.FlushSampledAsync();
        var pruned = await pruner.PruneAsync(ct);
        if (pruned > 0) log.LogInformation("Pruned {Count} audit events older than {Days} days", pruned, options.Value.RetentionDays);
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<LockoutService>().PruneAsync(ct);
        var sessions = await scope.ServiceProvider.GetRequiredService<RefreshSessionService>().PruneEndedAsync(ct);
        if (sessions > 0) log.LogInformation("Deleted {Count} refresh sessions that ended long ago", sessions);
        throttle.Sweep();
        await familiar.PruneAsync(ct);
    }
}
