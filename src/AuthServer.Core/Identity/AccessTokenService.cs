using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Core.Errors;
using AuthServer.Core.Policy;
using AuthServer.Core.Sso;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.Identity;

/// <summary>What a caller asks an access token to be; validated by <see cref="AccessTokenService"/>.</summary>
/// <param name="Scopes">Scope limits, <c>type:pattern:actions</c>; none means everything the user may do.</param>
public sealed record AccessTokenSpec(string Name, DateTime? ExpiresAt = null, IReadOnlyCollection<string>? Scopes = null);

/// <summary>An access token and its secret, which exists only in this answer.</summary>
public sealed record CreatedAccessToken(AccessToken Token, string Secret);

/// <summary>Personal access tokens, for the CLI and the admin API alike.</summary>
public sealed class AccessTokenService(
    AuthServerDbContext db, RefreshSessionService sessions, ChangeAudit audit, IOptions<OidcOptions> sso, TimeProvider time)
{
    public async Task<CreatedAccessToken> CreateAsync(string userName, AccessTokenSpec spec, CancellationToken ct)
    {
        if (Names.Problem(spec.Name, "access token") is { } nameProblem) throw new ValidationFailedException("name", nameProblem);
        var now = Now;
        if (spec.ExpiresAt is { } expires && expires <= now) throw new ValidationFailedException("expiresAt", "the expiry must be in the future");
        var limits = ScopeLimits.FromInput(spec.Scopes);
        var user = await FindUserAsync(userName, ct);
        if (SsoTokenLifetime.Refusal(sso.Value, user.Source, spec.ExpiresAt, now) is { } tooLong) throw new ValidationFailedException("expiresAt", tooLong);
        var name = spec.Name.Trim();
        var normalized = Names.Normalize(name);
        if (await db.AccessTokens.AnyAsync(t => t.UserId == user.Id && t.NormalizedName == normalized && t.RevokedAt == null, ct))
            throw new ConflictException($"user '{user.Name}' already has an access token named '{name}'");

        var secret = Secrets.Generate(Secrets.AccessTokenPrefix);
        var token = new AccessToken
        {
            UserId = user.Id,
            User = user,
            Name = name,
            NormalizedName = normalized,
            SecretHash = Secrets.Hash(secret),
            ScopeLimits = limits?.ToStored(),
            ExpiresAt = spec.ExpiresAt,
            CreatedAt = now,
        };
        db.AccessTokens.Add(token);
        audit.Record(AuditEventTypes.AccessTokenCreate, user.Name, after: Describe(token));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            throw new ConflictException($"user '{user.Name}' already has an access token named '{name}'");
        }
        return new CreatedAccessToken(token, secret);
    }

    /// <param name="userName">Only this user's tokens; null for everyone's.</param>
    public async Task<IReadOnlyList<AccessToken>> ListAsync(string? userName, bool includeRevoked, CancellationToken ct)
    {
        var query = db.AccessTokens.AsNoTracking().Include(t => t.User).AsQueryable();
        if (!string.IsNullOrWhiteSpace(userName))
        {
            var user = await FindUserAsync(userName, ct);
            query = query.Where(t => t.UserId == user.Id);
        }
        if (!includeRevoked) query = query.Where(t => t.RevokedAt == null);
        return await query.OrderBy(t => t.User.NormalizedName).ThenBy(t => t.NormalizedName).ThenBy(t => t.Id).ToListAsync(ct);
    }

    /// <summary>Revokes the user's token of that name: refused from the next request on, and its refresh sessions end.</summary>
    public async Task<AccessToken> RevokeAsync(string userName, string tokenName, CancellationToken ct)
    {
        var user = await FindUserAsync(userName, ct);
        var normalized = Names.Normalize(tokenName);
        var token = await db.AccessTokens.SingleOrDefaultAsync(t => t.UserId == user.Id && t.NormalizedName == normalized && t.RevokedAt == null, ct)
            ?? throw new NotFoundException($"access token of user '{user.Name}'", tokenName);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        token.RevokedAt = Now;
        audit.Record(AuditEventTypes.AccessTokenRevoke, user.Name, before: new { token = token.Name, revoked = false }, after: new { token = token.Name, revoked = true });
        await db.SaveChangesAsync(ct);
        await sessions.EndForAccessTokenAsync(token.Id, "access token revoked", ct);
        await tx.CommitAsync(ct);
        return token;
    }

    private async Task<User> FindUserAsync(string name, CancellationToken ct)
    {
        var normalized = Names.Normalize(name);
        return await db.Users.SingleOrDefaultAsync(u => u.NormalizedName == normalized, ct) ?? throw new NotFoundException("user", name);
    }

    private static object Describe(AccessToken t) => new { token = t.Name, expiresAt = t.ExpiresAt, scopes = t.ScopeLimits };

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
