using Microsoft.EntityFrameworkCore;

namespace AuthServer.Core.Data;

public static class ChangeRevisions
{
    /// <summary>Bumps an area's revision; call inside the transaction that makes the change.</summary>
    public static Task BumpAsync(this AuthServerDbContext db, string area, CancellationToken ct) =>
        db.ChangeRevisions.Where(r => r.Area == area)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Revision, r => r.Revision + 1), ct);
}
