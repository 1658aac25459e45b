using AuthServer.Core.Policy;

namespace AuthServer.Core.Identity;

/// <summary>
/// A refresh session as a refresh grant needs it: the session with its user, robot and access
/// token as loaded (detached, never changed), and the caller it stands for, built once. Only the
/// last use moves, in memory: the database copy is written in batches and would lag behind.
/// </summary>
public sealed class CachedSession
{
    private long _lastUsedTicks;

    public CachedSession(RefreshSession session)
    {
        Session = session;
        _lastUsedTicks = session.LastUsedAt.Ticks;
        if (session.User is { } user)
        {
            var limits = session.Credential == CredentialKind.AccessToken && session.AccessToken is { } token
                ? ScopeLimits.FromStored(token.ScopeLimits)
                : null;
            Principal = Principal.ForUser(user, CredentialKind.RefreshToken, session.Id, limits);
        }
        else if (session.Robot is { } robot)
        {
            Principal = Principal.ForRobot(robot, CredentialKind.RefreshToken, session.Id);
        }
    }

    /// <summary>With <see cref="RefreshSession.User"/>, <see cref="RefreshSession.AccessToken"/> and the robot with its owner.</summary>
    public RefreshSession Session { get; }

    /// <summary>Who a refresh grant of this session acts as; null when the session has no account.</summary>
    public Principal? Principal { get; }

    /// <summary>The latest use this process knows of: loaded, or a refresh since.</summary>
    public DateTime LastUsedAt => new(Interlocked.Read(ref _lastUsedTicks), DateTimeKind.Utc);

    public void Used(DateTime at)
    {
        var seen = Interlocked.Read(ref _lastUsedTicks);
        while (at.Ticks > seen)
        {
            var previous = Interlocked.CompareExchange(ref _lastUsedTicks, at.Ticks, seen);
            if (previous == seen) return;
            seen = previous;
        }
    }
}
