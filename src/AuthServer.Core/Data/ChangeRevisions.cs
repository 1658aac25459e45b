using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace AuthServer.Core.Data;

/// <summary>
/// Explicit bumps. Every SaveChanges already moves the areas of what it writes
/// (<see cref="RevisionInterceptor"/>, <see cref="CacheDependencies"/>); an explicit bump is only
/// for a change the map cannot see, and one more bump than needed costs a reload, nothing more.
/// </summary>
public static class ChangeRevisions
{
    /// <summary>Bumps an area's revision; call inside the transaction that makes the change.</summary>
    public static Task BumpAsync(this AuthServerDbContext db, string area, CancellationToken ct) =>
        db.ChangeRevisions.Where(r => r.Area == area)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Revision, r => r.Revision + 1), ct);

    /// <summary>
    /// Bumps the areas, commits, then marks this process's snapshots stale. In that order: a
    /// request that re-reads the revision before the commit would cache the old state under it.
    /// </summary>
    public static async Task CommitChangeAsync(
        this AuthServerDbContext db, IDbContextTransaction tx, RevisionMonitor revisions, CancellationToken ct, params string[] areas)
    {
        foreach (var area in areas) await db.BumpAsync(area, ct);
        await tx.CommitAsync(ct);
        revisions.MarkStale();
    }
}
