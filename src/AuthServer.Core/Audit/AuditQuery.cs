using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Core.Audit;

/// <summary>Reads the audit log for the CLI and the admin API alike.</summary>
public sealed class AuditQuery(AuthServerDbContext db)
{
    public async Task<IReadOnlyList<AuditEvent>> ListAsync(AuditFilter filter, CancellationToken ct)
    {
        filter.Validate();
        var query = db.AuditEvents.AsNoTracking();
        if (filter.From is { } from) query = query.Where(e => e.At >= from);
        if (filter.To is { } to) query = query.Where(e => e.At <= to);
        if (AuditText.Subject(filter.Subject) is { } subject) query = query.Where(e => e.Subject == subject);
        if (!string.IsNullOrWhiteSpace(filter.Actor)) query = query.Where(e => e.Actor == filter.Actor);
        if (filter.Outcome is { } outcome) query = query.Where(e => e.Outcome == outcome);
        if (!string.IsNullOrWhiteSpace(filter.Service)) query = query.Where(e => e.Service == filter.Service);
        if (!string.IsNullOrWhiteSpace(filter.Type))
        {
            var type = filter.Type.Trim().ToLowerInvariant();
            var area = type + ".";
            query = query.Where(e => e.Type == type || e.Type.StartsWith(area));
        }
        if (filter.TraceId is { } trace && AuditFilter.NormalizedTraceId(trace) is { } traceId) query = query.Where(e => e.TraceId == traceId);
        if (filter.BeforeId is { } before) query = query.Where(e => e.Id < before);
        return await query.OrderByDescending(e => e.Id).Take(filter.Limit).ToListAsync(ct);
    }
}
