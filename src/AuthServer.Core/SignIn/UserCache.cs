using AuthServer.Core.Caching;
using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.SignIn;

/// <summary>
/// User records by normalized name, so a warm sign-in reads no database. Each record is trusted
/// while the credentials revision it was loaded at stands: every change to a user moves it, in
/// this process at once and in another within <see cref="CacheOptions.RevisionCheckInterval"/>.
/// Unknown names are not cached, so made-up names cannot push real users out.
/// </summary>
public sealed class UserCache(IDbContextFactory<AuthServerDbContext> dbs, RevisionMonitor revisions, IOptions<CacheOptions> options, TimeProvider time)
{
    private readonly RevisionCache<string, CachedUser> _users = new(options.Value.MaxUsers, time);

    public async ValueTask<CachedUser?> FindAsync(string normalizedName, CancellationToken ct) =>
        await _users.GetOrLoadAsync(normalizedName, await revisions.GetAsync(ChangeRevision.Credentials, ct), LoadAsync, ct);

    public int Count => _users.Count;

    public CacheCounter Lookups => _users.Lookups;

    private async Task<CachedUser?> LoadAsync(string normalizedName, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.NormalizedName == normalizedName, ct);
        return user is null ? null : new CachedUser(user);
    }
}
