using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.SignIn;

/// <summary>
/// User records by normalized name, so a warm sign-in reads no database. Each record is tagged
/// with the credentials revision read before it was loaded, and used only while that revision
/// stands: every change to a user bumps it, in this process at once (the next request reloads)
/// and in another process within <see cref="CacheOptions.RevisionCheckInterval"/>. Unknown names
/// are not cached, so made-up names cannot push real users out.
/// </summary>
public sealed class UserCache(IDbContextFactory<AuthServerDbContext> dbs, RevisionMonitor revisions, IOptions<CacheOptions> options)
    : IDisposable
{
    private readonly MemoryCache _users = new(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.MaxUsers) });

    public async ValueTask<CachedUser?> FindAsync(string normalizedName, CancellationToken ct)
    {
        var revision = await revisions.GetAsync(ChangeRevision.Credentials, ct);
        if (_users.TryGetValue(normalizedName, out Entry? entry) && entry!.Revision == revision) return entry.User;

        await using var db = await dbs.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.NormalizedName == normalizedName, ct);
        if (user is null)
        {
            _users.Remove(normalizedName);
            return null;
        }
        var cached = new CachedUser(user);
        if (options.Value.MaxUsers > 0)
            _users.Set(normalizedName, new Entry(revision, cached), new MemoryCacheEntryOptions { Size = 1 });
        return cached;
    }

    public int Count => _users.Count;

    public void Dispose() => _users.Dispose();

    private sealed record Entry(long Revision, CachedUser User);
}
