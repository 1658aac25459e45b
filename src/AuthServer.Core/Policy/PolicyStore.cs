using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Core.Policy;

/// <summary>Holds the current <see cref="PolicySnapshot"/> and rebuilds it when the policy revision moves.</summary>
public sealed class PolicyStore(IDbContextFactory<AuthServerDbContext> dbs, RevisionMonitor revisions)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private volatile PolicySnapshot? _current;

    public async ValueTask<PolicySnapshot> GetAsync(CancellationToken ct)
    {
        var revision = await revisions.GetAsync(ChangeRevision.Policy, ct);
        var current = _current;
        if (current is not null && current.Revision >= revision) return current;

        await _lock.WaitAsync(ct);
        try
        {
            current = _current;
            if (current is not null && current.Revision >= revision) return current;
            _current = current = await LoadAsync(ct);
            return current;
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<PolicySnapshot> LoadAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        // One read transaction, so the revision, rules and memberships are one consistent state.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var revision = await db.ChangeRevisions.AsNoTracking()
            .Where(r => r.Area == ChangeRevision.Policy).Select(r => r.Revision).SingleAsync(ct);
        var rules = await db.AccessRules.AsNoTracking().ToListAsync(ct);
        var memberships = await db.GroupMembers.AsNoTracking()
            .Select(m => new { User = m.User.NormalizedName, Group = m.Group.NormalizedName })
            .ToListAsync(ct);
        await tx.CommitAsync(ct);
        return new PolicySnapshot(revision, rules, memberships.Select(m => (m.User, m.Group)));
    }
}
