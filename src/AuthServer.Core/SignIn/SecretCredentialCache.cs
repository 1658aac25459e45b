using AuthServer.Core.Caching;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.SignIn;

/// <summary>
/// Robots (with their owner) by normalized login and access tokens (with their user) by the
/// SHA-256 of the secret, so a CI job sending its robot secret or token with every pull reads no
/// database while nothing changed, and is still answered while the database is away. Trusted
/// while the credentials revision stands: disabling, deleting or rotating a robot, revoking a
/// token and any change to the owning user move it (<see cref="CacheDependencies"/>). Unknown
/// names and tokens are not cached, so made-up ones cannot push real entries out.
/// </summary>
public sealed class SecretCredentialCache(
    IDbContextFactory<AuthServerDbContext> dbs, RevisionMonitor revisions, IOptions<CacheOptions> options, TimeProvider time)
{
    private readonly RevisionCache<string, Robot> _robots = new(options.Value.MaxSecretCredentials, time);
    private readonly RevisionCache<string, AccessToken> _tokens = new(options.Value.MaxSecretCredentials, time);

    public int Count => _robots.Count + _tokens.Count;

    public CacheCounter RobotLookups => _robots.Lookups;

    public CacheCounter AccessTokenLookups => _tokens.Lookups;

    /// <summary>A robot with its owner (whose state <see cref="Robot.Refusal"/> reads), or null when none has the login.</summary>
    public async ValueTask<Robot?> FindRobotAsync(string normalizedName, CancellationToken ct) =>
        await _robots.GetOrLoadAsync(normalizedName, await revisions.GetAsync(ChangeRevision.Credentials, ct), LoadRobotAsync, ct);

    /// <summary>The access token whose secret has this SHA-256, with its user, or null.</summary>
    public async ValueTask<AccessToken?> FindAccessTokenAsync(byte[] secretHash, CancellationToken ct)
    {
        // Looked up by the hash, so the lookup's timing says nothing about the secret.
        var key = Convert.ToBase64String(secretHash);
        return await _tokens.GetOrLoadAsync(key, await revisions.GetAsync(ChangeRevision.Credentials, ct), LoadTokenAsync, ct);
    }

    private async Task<Robot?> LoadRobotAsync(string normalizedName, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Robots.AsNoTracking().Include(r => r.OwnerUser).SingleOrDefaultAsync(r => r.NormalizedName == normalizedName, ct);
    }

    private async Task<AccessToken?> LoadTokenAsync(string key, CancellationToken ct)
    {
        var hash = Convert.FromBase64String(key);
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.AccessTokens.AsNoTracking().Include(t => t.User).SingleOrDefaultAsync(t => t.SecretHash == hash, ct);
    }
}
