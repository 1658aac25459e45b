using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.Signing;

/// <summary>
/// The signing keys loaded and decrypted once: the active key that signs, and the keys a
/// registry should trust (next, active, and keys retired so recently that tokens they signed may
/// still be in use), with the CAs that issued them. Reloaded when the signing-keys revision moves;
/// a retired key's trust ends by the clock in between.
/// </summary>
public sealed class SigningKeyRing(
    IDbContextFactory<AuthServerDbContext> dbs, RevisionMonitor revisions, KeyProtector protector,
    IOptions<SigningOptions> options, IOptions<TokenOptions> tokens, TimeProvider time)
    : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private volatile TrustedKeys? _loaded;

    public async ValueTask<SigningKeyMaterial> GetActiveAsync(CancellationToken ct) =>
        (await GetAsync(ct)).Active
        ?? throw new InvalidOperationException("no active signing key: run 'authserver keys add --activate'");

    /// <summary>The keys a registry must trust now, newest first.</summary>
    public async ValueTask<IReadOnlyList<SigningKeyMaterial>> GetPublishedAsync(CancellationToken ct) =>
        (await GetAsync(ct)).TrustedAt(Now);

    /// <summary>Keys and CAs as loaded; callers ask it what is trusted at a given time.</summary>
    public ValueTask<TrustedKeys> GetTrustedAsync(CancellationToken ct) => GetAsync(ct);

    private async ValueTask<TrustedKeys> GetAsync(CancellationToken ct)
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
            loaded = await TrustedKeys.LoadAsync(db, protector, Now, options.Value.TrustAfterRetirement(tokens.Value), current, ct);
            await tx.CommitAsync(ct);
            // Old material is not disposed: a request may still be signing with it.
            _loaded = loaded;
            return loaded;
        }
        finally
        {
            _lock.Release();
        }
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public void Dispose()
    {
        foreach (var key in _loaded?.Keys ?? []) key.Dispose();
    }
}
