namespace AuthServer.Core.Identity;

/// <summary>
/// An offline login (docker login asks for one): the refresh token the client keeps, stored only
/// as its SHA-256. Bound to one user and one service (scope.md), revocable, never rotated because
/// Docker keeps the first refresh token it is given (moby/moby#39718).
/// </summary>
public sealed class RefreshSession
{
    public long Id { get; set; }
    public required byte[] TokenHash { get; set; }
    public long UserId { get; set; }
    public User User { get; set; } = null!;
    public required string Service { get; set; }
    public string? ClientId { get; set; }
    public string? ClientIp { get; set; }
    public string? UserAgent { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime LastUsedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public string? RevokedReason { get; set; }

    public bool IsActive(DateTime now) => RevokedAt is null && now < ExpiresAt;
}
