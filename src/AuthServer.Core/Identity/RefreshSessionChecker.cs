using Microsoft.Extensions.Options;

namespace AuthServer.Core.Identity;

/// <summary>
/// Decides whether a refresh token may be used now, for this service: the session has not ended
/// (revoked, expired, idle), and neither has the account or the credential that started it. Reads
/// the <see cref="SessionCache"/>, so a warm refresh grant costs no database round trip.
/// </summary>
public sealed class RefreshSessionChecker(SessionCache sessions, LastUsedRecorder usage, IOptions<RefreshSessionOptions> options, TimeProvider time)
{
    public async Task<SessionCheck> CheckAsync(string refreshToken, string service, CancellationToken ct)
    {
        var cached = await sessions.TryGetAsync(refreshToken, ct);
        if (cached is null) return new SessionCheck(null, "refresh token unknown", null, null);
        var now = time.GetUtcNow().UtcDateTime;
        var ended = cached.Session.EndReason(now, options.Value.IdleTimeout, LastUsed(cached));
        if (ended == RefreshSession.IdleTooLong)
        {
            // Last uses move no revision, and another process may have used the session since
            // this copy was loaded: before refusing, read what it wrote.
            cached = await sessions.TryGetAsync(refreshToken, ct, reload: true);
            if (cached is null) return new SessionCheck(null, "refresh token unknown", null, null);
            ended = cached.Session.EndReason(now, options.Value.IdleTimeout, LastUsed(cached));
        }

        var session = cached.Session;
        SessionCheck Refuse(string reason) => new(null, reason, session.AccountName, session.Id);

        if (ended is not null) return Refuse(ended);
        // scope.md: a refresh token is bound to one audience.
        if (!string.Equals(session.Service, service, StringComparison.Ordinal)) return Refuse("refresh token is for another service");

        if (session.User is { } user)
        {
            if (user.IsBlocked) return Refuse("user disabled");
            if (session.Credential == CredentialKind.AccessToken)
            {
                if (session.AccessToken is not { } accessToken) return Refuse("access token of the session is gone");
                if (accessToken.Refusal(now) is { } refusal) return Refuse(refusal);
            }
        }
        else if (session.Robot is { } robot)
        {
            if (robot.Refusal(now) is { } refusal) return Refuse(refusal);
        }
        if (cached.Principal is not { } principal) return Refuse("session has no account");

        usage.Record(CredentialUse.RefreshSession, session.Id, now);
        cached.Used(now);
        return new SessionCheck(principal, null, session.AccountName, session.Id);
    }

    /// <summary>The latest use known: cached, or recorded and not yet flushed (another request may have recorded it).</summary>
    private DateTime LastUsed(CachedSession cached)
    {
        var last = cached.LastUsedAt;
        return usage.Pending(CredentialUse.RefreshSession, cached.Session.Id) is { } pending && pending > last ? pending : last;
    }
}
