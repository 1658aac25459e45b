namespace AuthServer.Core.Identity;

public enum RobotOwnerKind { System, User, Group }

/// <summary>
/// A machine account (a CI pipeline, a deploy job): a policy subject of its own (<c>robot:NAME</c>),
/// a random secret instead of a password, optionally owned by a user or a group. Removing the
/// owner removes the robot; a user-owned robot stops working while its owner is disabled.
/// </summary>
public sealed class Robot
{
    public long Id { get; set; }

    /// <summary>The login name, <c>owner+name</c> (<c>robot+name</c> when system-wide); see <see cref="RobotNames"/>.</summary>
    public required string Name { get; set; }

    public required string NormalizedName { get; set; }

    public RobotOwnerKind OwnerKind { get; set; }
    public long? OwnerUserId { get; set; }
    public User? OwnerUser { get; set; }
    public long? OwnerGroupId { get; set; }
    public Group? OwnerGroup { get; set; }

    public string? Description { get; set; }

    /// <summary>SHA-256 of the secret; the secret itself is shown once and never stored.</summary>
    public required byte[] SecretHash { get; set; }

    /// <summary>Stored form of <see cref="Policy.ScopeLimits"/>; null: only the rules decide.</summary>
    public string? ScopeLimits { get; set; }

    public DateTime? ExpiresAt { get; set; }
    public bool IsDisabled { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }

    public bool IsExpired(DateTime now) => ExpiresAt is { } at && now >= at;

    /// <summary>Why the robot may not sign in now, or null. Needs <see cref="OwnerUser"/> loaded for a user-owned robot.</summary>
    public string? Refusal(DateTime now)
    {
        if (IsDisabled) return "robot disabled";
        if (IsExpired(now)) return "robot expired";
        if (OwnerKind == RobotOwnerKind.User && OwnerUser is not { IsBlocked: false }) return "robot owner disabled";
        return null;
    }
}
