namespace AuthServer.Core.Identity;

/// <summary>
/// An offline login (docker login asks for one): the refresh token the client keeps, stored only
/// as its SHA-256. Bound to one account (a user, or a robot) and one service (scope.md),
/// revocable, never rotated because Docker keeps the first refresh token it is given
/// (moby/moby#39718). It remembers the credential that started it, so ending that credential
/// (a password change, a revoked access token, a disabled robot) ends the session too.
/// </summary>
public sealed class RefreshSession
{
    public long Id { get; set; }
    public required byte[] TokenHash { get; set; }

    /// <summary>Set for a user's session; <see cref="RobotId"/> for a robot's.</summary>
    public long? UserId { get; set; }
    public User? User { get; set; }
    public long? RobotId { get; set; }
    public Robot? Robot { get; set; }

    /// <summary>What the login presented: a password, an access token or a robot secret.</summary>
    public CredentialKind Credential { get; set; }

    /// <summary>The access token that started the session; its scopes limit every refresh.</summary>
    public long? AccessTokenId { get; set; }
    public AccessToken? AccessToken { get; set; }

    public required string Service { get; set; }
    public string? ClientId { get; set; }
    public string? ClientIp { get; set; }
    public string? UserAgent { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime LastUsedAt { get; set; }

    /// <summary>The absolute end: login time plus the configured lifetime, or the credential's own expiry if sooner.</summary>
    public DateTime ExpiresAt { get; set; }

    public DateTime? RevokedAt { get; set; }
    public string? RevokedReason { get; set; }

    public const string IdleTooLong = "session idle too long";

    public string AccountName => User?.Name ?? Robot?.Name ?? "";

    /// <summary>Why the session can no longer be used, or null while it can.</summary>
    /// <param name="lastUsedAt">The latest use, which may be newer than the stored <see cref="LastUsedAt"/> until it is flushed.</param>
    public string? EndReason(DateTime now, TimeSpan idleTimeout, DateTime lastUsedAt)
    {
        if (RevokedAt is not null) return $"session ended: {RevokedReason}";
        if (now >= ExpiresAt) return "session expired";
        if (now >= lastUsedAt + idleTimeout) return IdleTooLong;
        return null;
    }
}
