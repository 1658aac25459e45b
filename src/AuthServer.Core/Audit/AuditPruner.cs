using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.Audit;

/// <summary>Deletes events older than the retention period (run periodically by the server).</summary>
public sealed class AuditPruner(IDbContextFactory<AuthServerDbContext> dbs, IOptions<AuditOptions> options, TimeProvider time)
{
    public async Task<int> PruneAsync(CancellationToken ct)
    {
        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-options.Value.RetentionDays);
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.AuditEvents.Where(e => e.At < cutoff).ExecuteDeleteAsync(ct);
    }
}
