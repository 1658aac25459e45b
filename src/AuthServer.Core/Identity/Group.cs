namespace AuthServer.Core.Identity;

/// <summary>A named set of users that access rules can name as their subject.</summary>
public sealed class Group
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string NormalizedName { get; set; }
    public string? Description { get; set; }
    public DateTime CreatedAt { get; set; }

    public List<GroupMember> Members { get; set; } = [];
}
