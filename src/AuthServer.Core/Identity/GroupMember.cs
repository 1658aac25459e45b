namespace AuthServer.Core.Identity;

public sealed class GroupMember
{
    public long GroupId { get; set; }
    public Group Group { get; set; } = null!;
    public long UserId { get; set; }
    public User User { get; set; } = null!;
    public DateTime AddedAt { get; set; }
}
