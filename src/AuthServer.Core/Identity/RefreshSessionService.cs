using System.Security.Cryptography;
using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.Identity;

public sealed class RefreshSessionOptions
{
    public const string Section = "AuthServer:RefreshSessions";

    /// <summary>A session ends this long after it began, however much it is used.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromDays(90);
}

/// <summary>Offline logins: the refresh tokens docker login stores as its identity token.</summary>
public sealed class RefreshSessionService(AuthServerDbContext db, IOptions<RefreshSessionOptions> options, TimeProvider time)
{
    public sealed record Started(RefreshSession Session, string RefreshToken);

    public async Task<Started> StartAsync(
        User user, string service, string? clientId, string? clientIp, string? userAgent, CancellationToken ct)
    {
        var token = Secrets.Generate(Secrets.RefreshTokenPrefix);
        var now = time.GetUtcNow().UtcDateTime;
        var session = new RefreshSession
        {
            TokenHash = Secrets.Hash(token),
            UserId = user.Id,
            Service = service,
            ClientId = Truncate(clientId, 255),
            ClientIp = Truncate(clientIp, 64),
            UserAgent = Truncate(userAgent, 512),
            CreatedAt = now,
            LastUsedAt = now,
            ExpiresAt = now + options.Value.AbsoluteLifetime,
        };
        db.RefreshSessions.Add(session);
        await db.SaveChangesAsync(ct);
        return new Started(session, token);
    }

    /// <summary>
    /// The session a refresh token belongs to, with its user, if it may still be used for this
    /// service; otherwise null. The lookup is by SHA-256, so timing says nothing about the secret.
    /// </summary>
    public async Task<RefreshSession?> FindUsableAsync(string refreshToken, string service, CancellationToken ct)
    {
        var hash = Secrets.Hash(refreshToken);
        var session = await db.RefreshSessions.AsNoTracking().Include(s => s.User)
            .SingleOrDefaultAsync(s => s.TokenHash == hash, ct);
        var now = time.GetUtcNow().UtcDateTime;
        if (session is null
            || !CryptographicOperations.FixedTimeEquals(session.TokenHash, hash)
            || !session.IsActive(now)
            || session.User.IsDisabled
            // scope.md: a refresh token is bound to one audience.
            || !string.Equals(session.Service, service, StringComparison.Ordinal))
            return null;

        await db.RefreshSessions.Where(s => s.Id == session.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastUsedAt, now), ct);
        return session;
    }

    public async Task<int> RevokeAllForUserAsync(long userId, string reason, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await db.RefreshSessions.Where(s => s.UserId == userId && s.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now).SetProperty(x => x.RevokedReason, reason), ct);
    }

    private static string? Truncate(string? value, int max) =>
        value is null || value.Length <= max ? value : value[..max];
}
