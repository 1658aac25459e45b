using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.Signing;

/// <summary>
/// The signing keys loaded and decrypted once: the active key that signs, and the keys a
/// registry should trust (next, active, and keys retired so recently that tokens they signed may
/// still be in use). Reloaded when the signing-keys revision moves.
/// </summary>
public sealed class SigningKeyRing(
    IDbContextFactory<AuthServerDbContext> dbs, RevisionMonitor revisions, KeyProtector protector,
    IOptions<SigningOptions> options, TimeProvider time)
    : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private volatile LoadedKeys? _loaded;

    public async ValueTask<SigningKeyMaterial> GetActiveAsync(CancellationToken ct) =>
        (await GetAsync(ct)).Active
        ?? throw new InvalidOperationException("no active signing key: run 'authserver keys add --activate'");

    /// <summary>The keys a registry must trust, newest first.</summary>
    public async ValueTask<IReadOnlyList<SigningKeyMaterial>> GetPublishedAsync(CancellationToken ct) =>
        (await GetAsync(ct)).Published;

    private async ValueTask<LoadedKeys> GetAsync(CancellationToken ct)
    {
        var revision = await revisions.GetAsync(ChangeRevision.SigningKeys, ct);
        var loaded = _loaded;
        if (loaded is not null && loaded.Revision >= revision) return loaded;

        await _lock.WaitAsync(ct);
        try
        {
            loaded = _loaded;
            if (loaded is not null && loaded.Revision >= revision) return loaded;
            await using var db = await dbs.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var current = await db.ChangeRevisions.AsNoTracking()
                .Where(r => r.Area == ChangeRevision.SigningKeys).Select(r => r.Revision).SingleAsync(ct);
            var retiredSince = time.GetUtcNow().UtcDateTime - options.Value.RetiredKeyGrace;
            var keys = await db.SigningKeys.AsNoTracking()
                .Where(k => k.State != SigningKeyState.Retired || k.RetiredAt > retiredSince)
                .OrderByDescending(k => k.Id)
                .ToListAsync(ct);
            await tx.CommitAsync(ct);
            var published = keys.Select(k => new SigningKeyMaterial(k, protector)).ToArray();
            // Old material is not disposed: a request may still be signing with it.
            _loaded = loaded = new LoadedKeys(current, published.FirstOrDefault(k => k.State == SigningKeyState.Active), published);
            return loaded;
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose()
    {
        foreach (var key in _loaded?.Published ?? []) key.Dispose();
    }

    private sealed record LoadedKeys(long Revision, SigningKeyMaterial? Active, IReadOnlyList<SigningKeyMaterial> Published);
}
