namespace AuthServer.Core.Identity;

/// <summary>A person who signs in with a password, checked here or by the identity source named in <see cref="Source"/>.</summary>
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

    /// <summary>
    /// Where the account and its password live: <see cref="IdentitySources.Local"/> or the name of
    /// a directory it was provisioned from. Only a local account has a password here.
    /// </summary>
    public string Source { get; set; } = IdentitySources.Local;

    /// <summary>The account's name in its source (a directory user's DN); null for a local user.</summary>
    public string? ExternalId { get; set; }

    /// <summary>
    /// The source refused the account at its last check (gone, disabled there, outside the
    /// required group): it signs in with nothing until the source accepts it again. Kept apart
    /// from <see cref="IsDisabled"/>, which is the administrator's to set.
    /// </summary>
    public bool SourceDenied { get; set; }

    /// <summary>Disabled here or refused by its source: no credential of the account is accepted.</summary>
    public bool IsBlocked => IsDisabled || SourceDenied;

    public bool IsLocal => Source == IdentitySources.Local;

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public List<GroupMember> Memberships { get; set; } = [];
}
