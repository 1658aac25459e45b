namespace AuthServer.Core.Identity;

/// <summary>A person who signs in with a password.</summary>
public sealed class User
{
    public long Id { get; set; }
    public required string Name { get; set; }

    /// <summary>Lower-case name: names are unique regardless of case.</summary>
    public required string NormalizedName { get; set; }

    /// <summary>bcrypt hash, prefixed with its scheme (<see cref="PasswordHashFormat"/>); the work factor is inside the hash.</summary>
    public required string PasswordHash { get; set; }

    public bool IsAdmin { get; set; }
    public bool IsDisabled { get; set; }

    /// <summary>Changes whenever the password, the disabled flag or the admin flag changes, so
    /// anything cached from the old state stops matching.</summary>
    public required string SecurityStamp { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public List<GroupMember> Memberships { get; set; } = [];
}
