namespace AuthServer.Core.Identity;

public sealed class GroupMember
{
    public long GroupId { get; set; }
    public Group Group { get; set; } = null!;
    public long UserId { get; set; }
    public User User { get; set; } = null!;
    public DateTime AddedAt { get; set; }

    /// <summary>The identity source that made this membership (a directory's group mapping), null when an administrator did: a source's refresh replaces only its own.</summary>
    public string? Source { get; set; }
}
