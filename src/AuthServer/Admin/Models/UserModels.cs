using AuthServer.Core.Identity;

namespace AuthServer.Admin.Models;

/// <param name="Source">The identity source the user signs in with: <c>local</c> or <c>ldap</c>.</param>
/// <param name="SourceDenied">The source refused the user at its last check (gone, disabled there, out of the required group).</param>
public sealed record UserView(string Name, bool Admin, bool Disabled, DateTime CreatedAt, DateTime UpdatedAt, string Source, bool SourceDenied)
{
    public static UserView From(User u) => new(u.Name, u.IsAdmin, u.IsDisabled, u.CreatedAt, u.UpdatedAt, u.Source, u.SourceDenied);
}

public sealed record UserCreate(string? Name, string? Password, bool? Admin = null);

/// <summary>Only the fields given change.</summary>
public sealed record UserPatch(bool? Admin, bool? Disabled);

public sealed record PasswordChange(string? Password);
