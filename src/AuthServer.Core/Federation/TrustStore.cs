using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.Federation;

/// <summary>A trust in force, and whether it comes from the settings (read-only here) or the database.</summary>
public sealed record Trust(TrustOptions Options, bool FromSettings);

/// <summary>
/// The trusts in force: the settings' and the database's, held in memory and read again when the
/// credentials revision moves (a trust added or deleted here, by the CLI or by another replica),
/// so an ID token is checked without a database query.
/// </summary>
public sealed class TrustStore(IDbContextFactory<AuthServerDbContext> dbs, RevisionMonitor revisions, IOptions<FederationOptions> options) : IDisposable
{
    private sealed record Snapshot(long Revision, IReadOnlyList<Trust> Trusts);

    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile Snapshot? _snapshot;

    public async ValueTask<IReadOnlyList<Trust>> GetAsync(CancellationToken ct)
    {
        var revision = await revisions.GetAsync(ChangeRevision.Credentials, ct);
        if (_snapshot is { } current && current.Revision == revision) return current.Trusts;
        await _loading.WaitAsync(ct);
        try
        {
            if (_snapshot is { } loaded && loaded.Revision == revision) return loaded.Trusts;
            await using var db = await dbs.CreateDbContextAsync(ct);
            var stored = await db.FederationTrusts.AsNoTracking().OrderBy(t => t.NormalizedName).ToListAsync(ct);
            var trusts = options.Value.Trusts.Select(t => new Trust(t, FromSettings: true))
                .Concat(stored.Select(t => new Trust(t.ToOptions(), FromSettings: false))).ToArray();
            _snapshot = new Snapshot(revision, trusts);
            return trusts;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>The trusts for this issuer and robot, in force now.</summary>
    public async ValueTask<List<TrustOptions>> ForAsync(string issuer, string normalizedRobot, CancellationToken ct) =>
        (await GetAsync(ct)).Select(t => t.Options)
            .Where(t => string.Equals(t.Issuer, issuer, StringComparison.Ordinal) && Names.Normalize(t.Robot) == normalizedRobot).ToList();

    public void Dispose() => _loading.Dispose();
}
