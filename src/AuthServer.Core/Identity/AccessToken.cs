namespace AuthServer.Core.Identity;

/// <summary>
/// A personal access token: a random secret a user gives a tool instead of their password
/// (<c>docker login -u alice -p aspat_…</c>). It acts as its user, narrowed to its own scopes, and
/// can be revoked alone without touching the password or the user's other tokens.
/// </summary>
public sealed class AccessToken
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public User User { get; set; } = null!;

    /// <summary>Unique among the user's tokens that are not revoked.</summary>
    public required string Name { get; set; }

    public required string NormalizedName { get; set; }

    /// <summary>SHA-256 of the secret; the secret itself is shown once and never stored.</summary>
    public required byte[] SecretHash { get; set; }

    /// <summary>Stored form of <see cref="Policy.ScopeLimits"/>; null: everything the user may do.</summary>
    public string? ScopeLimits { get; set; }

    public DateTime? ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }

    public bool IsExpired(DateTime now) => ExpiresAt is { } at && now >= at;

    /// <summary>Why the token itself may not be used now, or null (its user's state is checked apart).</summary>
    public string? Refusal(DateTime now)
    {
        if (RevokedAt is not null) return "access token revoked";
        if (IsExpired(now)) return "access token expired";
        return null;
    }
}
