using AuthServer.Core.Data;

namespace AuthServer.Core.Audit;

/// <summary>
/// Writes one batch of audit events in one transaction: the hottest write of the server (one event
/// per token request). Each database provider may bring a faster one than the portable
/// <see cref="AuditBatchInsert"/> (SQLite's binds through the native handle, in AuthServer.Data.Sqlite).
/// </summary>
public interface IAuditBatchWriter
{
    Task WriteAsync(AuthServerDbContext db, IReadOnlyList<AuditEvent> batch, CancellationToken ct);
}
