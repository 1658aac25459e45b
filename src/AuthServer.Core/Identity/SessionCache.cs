using AuthServer.Core.Caching;
using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.Identity;

/// <summary>
/// Refresh sessions with their user, robot and access token, by the SHA-256 of the refresh token,
/// so a refresh grant (what docker sends after every login) reads no database while nothing
/// changed. Trusted while the credentials revision stands: ending a session, disabling its user or
/// robot, revoking its access token all move it (see <see cref="CacheDependencies"/>). Unknown
/// tokens are not cached.
/// </summary>
public sealed class SessionCache(IDbContextFactory<AuthServerDbContext> dbs, RevisionMonitor revisions, IOptions<CacheOptions> options, TimeProvider time)
{
    private readonly RevisionCache<string, CachedSession> _sessions = new(options.Value.MaxSessions, time);

    public int Count => _sessions.Count;

    public CacheCounter Lookups => _sessions.Lookups;

    /// <summary>The session a refresh token belongs to, or null if none does.</summary>
    /// <param name="reload">Read the database even if a cached copy is current.</param>
    public async ValueTask<CachedSession?> TryGetAsync(string refreshToken, CancellationToken ct, bool reload = false)
    {
        var hash = Secrets.Hash(refreshToken);
        // The lookup is by SHA-256, so its timing says nothing about the secret.
        var key = Convert.ToBase64String(hash);
        var revision = await revisions.GetAsync(ChangeRevision.Credentials, ct);
        if (!reload && _sessions.TryGet(key, revision, out var cached)) return cached;

        await using var db = await dbs.CreateDbContextAsync(ct);
        var session = await db.RefreshSessions.AsNoTracking()
            .Include(s => s.User)
            .Include(s => s.AccessToken)
            .Include(s => s.Robot).ThenInclude(r => r!.OwnerUser)
            .SingleOrDefaultAsync(s => s.TokenHash == hash, ct);
        if (session is null)
        {
            _sessions.Remove(key);
            return null;
        }
        var loaded = new CachedSession(session);
        _sessions.Set(key, revision, loaded);
        return loaded;
    }
}
