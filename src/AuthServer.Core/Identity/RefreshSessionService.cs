using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Core.Errors;
using AuthServer.Core.Policy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.Identity;

/// <summary>The outcome of presenting a refresh token: the caller it stands for, or why it was refused.</summary>
public sealed record SessionCheck(Principal? Principal, string? FailureReason, string? Account, long? SessionId)
{
    public bool Succeeded => Principal is not null;
}

/// <summary>Which sessions to list; without a user or robot, everyone's.</summary>
/// <param name="Text">Keeps sessions with this text in their account, client, address, service or access token name.</param>
public sealed record SessionFilter(string? User = null, string? Robot = null, bool IncludeEnded = false, string? Text = null);

/// <summary>One page of sessions, most recently used first, and how many the filter matches in all.</summary>
public sealed record SessionPage(IReadOnlyList<SessionView> Items, int Total);

/// <summary>A session as operators see it: never its token.</summary>
public sealed record SessionView(
    long Id, string Account, string AccountKind, CredentialKind Credential, string? AccessToken, string Service,
    string? ClientId, string? ClientIp, string? UserAgent, DateTime CreatedAt, DateTime LastUsedAt, DateTime ExpiresAt,
    DateTime? EndedAt, string? EndReason)
{
    public bool Active => EndReason is null;
}

/// <summary>
/// Offline logins: the refresh tokens docker login stores as its identity token. A session lives
/// while it is used (idle timeout), never past its absolute lifetime, and only as long as the
/// account and the credential that started it stay valid.
/// </summary>
public sealed class RefreshSessionService(
    AuthServerDbContext db, ChangeAudit audit, LastUsedRecorder usage, IOptions<RefreshSessionOptions> options, TimeProvider time)
{
    public sealed record Started(RefreshSession Session, string RefreshToken);

    /// <param name="credentialExpiresAt">The expiry of the access token, robot or ID token used to log in: the session ends no later.</param>
    public async Task<Started> StartAsync(
        Principal principal, DateTime? credentialExpiresAt, string service, string? clientId, string? clientIp, string? userAgent,
        CancellationToken ct)
    {
        if (principal.Credential is not (CredentialKind.Password or CredentialKind.AccessToken or CredentialKind.RobotSecret or CredentialKind.IdToken))
            throw new InvalidOperationException($"a session cannot start from a {principal.Credential} login");
        var token = Secrets.Generate(Secrets.RefreshTokenPrefix);
        var now = Now;
        var expires = now + options.Value.AbsoluteLifetime;
        if (credentialExpiresAt is { } limit && limit < expires) expires = limit;
        var session = new RefreshSession
        {
            TokenHash = Secrets.Hash(token),
            UserId = principal.UserId,
            RobotId = principal.RobotId,
            Credential = principal.Credential,
            AccessTokenId = principal.Credential == CredentialKind.AccessToken ? principal.CredentialId : null,
            Service = service,
            ClientId = AuditText.Truncate(clientId, 255),
            ClientIp = AuditText.Truncate(clientIp, 64),
            UserAgent = AuditText.Truncate(userAgent, 512),
            CreatedAt = now,
            LastUsedAt = now,
            ExpiresAt = expires,
        };
        db.RefreshSessions.Add(session);
        await EndBeyondLimitAsync(principal, now, ct);
        await db.SaveChangesAsync(ct);
        return new Started(session, token);
    }

    /// <summary>
    /// Makes room for one more session of the principal's credential: past the limit, its least
    /// recently used open sessions end (audited), in the same SaveChanges as the new one. Each
    /// eviction moves the credentials revision like any ending, so the session cache drops it.
    /// Concurrent logins may each see the same count and overshoot by a session or two; the next
    /// login trims them again.
    /// </summary>
    private async Task EndBeyondLimitAsync(Principal principal, DateTime now, CancellationToken ct)
    {
        var limit = options.Value.MaxPerCredential;
        var sameCredential = principal.Credential switch
        {
            CredentialKind.AccessToken => db.RefreshSessions.Where(s => s.AccessTokenId == principal.CredentialId),
            CredentialKind.RobotSecret or CredentialKind.IdToken => db.RefreshSessions.Where(s => s.RobotId == principal.RobotId),
            _ => db.RefreshSessions.Where(s => s.UserId == principal.UserId && s.Credential == CredentialKind.Password),
        };
        // At most the limit plus a concurrent overshoot: ordered here, where the last uses not yet
        // flushed (LastUsedRecorder) count too, so a session refreshed a second ago is kept.
        var open = await Open(sameCredential, now).ToListAsync(ct);
        var excess = open.OrderByDescending(LastUsed).ThenByDescending(s => s.Id).Skip(limit - 1).ToList();
        if (excess.Count == 0) return;
        foreach (var old in excess)
        {
            old.RevokedAt = now;
            old.RevokedReason = TooMany;
        }
        audit.Record(AuditEventTypes.SessionEvict, principal.Name,
            after: new { sessionsEnded = excess.Select(s => s.Id).ToArray(), credential = principal.Credential, limit },
            reason: TooMany);
    }

    public const string TooMany = "too many sessions for this credential";

    /// <summary>Sessions that can still be used, as far as the stored columns tell.</summary>
    private IQueryable<RefreshSession> Open(IQueryable<RefreshSession> sessions, DateTime now)
    {
        var idleSince = now - options.Value.IdleTimeout;
        return sessions.Where(s => s.RevokedAt == null && s.ExpiresAt > now && s.LastUsedAt > idleSince);
    }

    /// <summary>One page of the sessions the filter keeps, most recently used first.</summary>
    public async Task<SessionPage> ListAsync(SessionFilter filter, int offset, int limit, CancellationToken ct)
    {
        var query = db.RefreshSessions.AsNoTracking();
        if (filter.User is { } userName)
        {
            var user = await FindUserAsync(userName, ct);
            query = query.Where(s => s.UserId == user.Id);
        }
        if (filter.Robot is { } robotName)
        {
            var robot = await FindRobotAsync(robotName, ct);
            query = query.Where(s => s.RobotId == robot.Id);
        }
        var now = Now;
        if (!filter.IncludeEnded) query = Open(query, now);
        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            // Lower-cased on both sides: the same answer on every database, whatever its collation.
            // (CA1862's StringComparison overload has no SQL translation; ToLower becomes LOWER().)
            var text = filter.Text.Trim().ToLowerInvariant();
            var name = Names.Normalize(filter.Text.Trim());
#pragma warning disable CA1862
            query = query.Where(s =>
                (s.User != null && s.User.NormalizedName.Contains(name)) || (s.Robot != null && s.Robot.NormalizedName.Contains(name))
                || (s.UserAgent != null && s.UserAgent.ToLower().Contains(text)) || (s.ClientId != null && s.ClientId.ToLower().Contains(text))
                || (s.ClientIp != null && s.ClientIp.ToLower().Contains(text)) || s.Service.ToLower().Contains(text)
                || (s.AccessToken != null && s.AccessToken.Name.ToLower().Contains(text)));
#pragma warning restore CA1862
        }
        var total = await query.CountAsync(ct);
        var sessions = await query.Include(s => s.User).Include(s => s.Robot).Include(s => s.AccessToken)
            .OrderByDescending(s => s.LastUsedAt).ThenByDescending(s => s.Id)
            .Skip(Math.Max(0, offset)).Take(Math.Max(0, limit)).ToListAsync(ct);
        return new SessionPage(sessions.Select(s => View(s, now)).ToArray(), total);
    }

    /// <summary>Whether the session is one of this user's own (the console lets users end only theirs).</summary>
    public async Task<bool> BelongsToUserAsync(long id, string userName, CancellationToken ct)
    {
        var normalized = Names.Normalize(userName);
        return await db.RefreshSessions.AnyAsync(s => s.Id == id && s.User != null && s.User.NormalizedName == normalized, ct);
    }

    /// <summary>
    /// Deletes sessions that ended longer than <see cref="RefreshSessionOptions.KeepEndedFor"/> ago
    /// (revoked, expired or idle); none of them could be used, so no cache has to notice.
    /// </summary>
    public async Task<int> PruneEndedAsync(CancellationToken ct)
    {
        var now = Now;
        var before = now - options.Value.KeepEndedFor;
        var idleBefore = before - options.Value.IdleTimeout;
        return await db.RefreshSessions.TagWith(CacheDependencies.EndedRowsOnly)
            .Where(s => (s.RevokedAt != null && s.RevokedAt < before) || s.ExpiresAt < before || s.LastUsedAt < idleBefore)
            .ExecuteDeleteAsync(ct);
    }

    /// <summary>Ends one session; its refresh token is refused from the next request on.</summary>
    public async Task<SessionView> RevokeAsync(long id, CancellationToken ct)
    {
        var session = await db.RefreshSessions.Include(s => s.User).Include(s => s.Robot).Include(s => s.AccessToken)
            .SingleOrDefaultAsync(s => s.Id == id, ct) ?? throw new NotFoundException("session", id.ToString());
        if (session.RevokedAt is null)
        {
            session.RevokedAt = Now;
            session.RevokedReason = "ended by an administrator";
            audit.Record(AuditEventTypes.SessionRevoke, session.AccountName, after: new { session = id });
            await db.SaveChangesAsync(ct);
        }
        return View(session, Now);
    }

    public async Task<int> RevokeAllForUserAsync(string userName, CancellationToken ct)
    {
        var user = await FindUserAsync(userName, ct);
        return await RevokeAllAsync(db.RefreshSessions.Where(s => s.UserId == user.Id), user.Name, ct);
    }

    public async Task<int> RevokeAllForRobotAsync(string robotName, CancellationToken ct)
    {
        var robot = await FindRobotAsync(robotName, ct);
        return await RevokeAllAsync(db.RefreshSessions.Where(s => s.RobotId == robot.Id), robot.Name, ct);
    }

    /// <summary>Ends a user's sessions, all of them or only those one kind of credential started.</summary>
    public Task<int> EndForUserAsync(long userId, string reason, CancellationToken ct, CredentialKind? startedWith = null) =>
        EndAsync(db.RefreshSessions.Where(s => s.UserId == userId && (startedWith == null || s.Credential == startedWith)), reason, ct);

    public Task<int> EndForAccessTokenAsync(long accessTokenId, string reason, CancellationToken ct) =>
        EndAsync(db.RefreshSessions.Where(s => s.AccessTokenId == accessTokenId), reason, ct);

    public Task<int> EndForRobotAsync(long robotId, string reason, CancellationToken ct) =>
        EndAsync(db.RefreshSessions.Where(s => s.RobotId == robotId), reason, ct);

    public Task<int> EndForRobotsOwnedByAsync(long userId, string reason, CancellationToken ct) =>
        EndAsync(db.RefreshSessions.Where(s => s.Robot != null && s.Robot.OwnerUserId == userId), reason, ct);

    private async Task<int> RevokeAllAsync(IQueryable<RefreshSession> sessions, string account, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var ended = await EndAsync(sessions, "ended by an administrator", ct);
        audit.Record(AuditEventTypes.SessionRevoke, account, after: new { sessionsEnded = ended });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return ended;
    }

    /// <summary>Ends the sessions through SaveChanges, so the session cache follows (see CacheDependencies).</summary>
    private async Task<int> EndAsync(IQueryable<RefreshSession> sessions, string reason, CancellationToken ct)
    {
        var now = Now;
        var open = await sessions.Where(s => s.RevokedAt == null).ToListAsync(ct);
        foreach (var session in open)
        {
            session.RevokedAt = now;
            session.RevokedReason = reason;
        }
        if (open.Count > 0) await db.SaveChangesAsync(ct);
        return open.Count;
    }

    private SessionView View(RefreshSession s, DateTime now)
    {
        var lastUsed = LastUsed(s);
        var endReason = s.EndReason(now, options.Value.IdleTimeout, lastUsed);
        return new SessionView(
            s.Id, s.AccountName, s.RobotId is null ? "user" : "robot", s.Credential, s.AccessToken?.Name, s.Service,
            s.ClientId, s.ClientIp, s.UserAgent, s.CreatedAt, lastUsed, s.ExpiresAt, s.RevokedAt, endReason);
    }

    /// <summary>The stored last use, or a newer one not yet flushed.</summary>
    private DateTime LastUsed(RefreshSession s) =>
        usage.Pending(CredentialUse.RefreshSession, s.Id) is { } pending && pending > s.LastUsedAt ? pending : s.LastUsedAt;

    private async Task<User> FindUserAsync(string name, CancellationToken ct)
    {
        var normalized = Names.Normalize(name);
        return await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.NormalizedName == normalized, ct)
            ?? throw new NotFoundException("user", name);
    }

    private async Task<Robot> FindRobotAsync(string name, CancellationToken ct)
    {
        var normalized = Names.Normalize(name);
        return await db.Robots.AsNoTracking().SingleOrDefaultAsync(r => r.NormalizedName == normalized, ct)
            ?? throw new NotFoundException("robot", name);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
