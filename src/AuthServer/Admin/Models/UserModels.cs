using AuthServer.Core.Identity;

namespace AuthServer.Admin.Models;

public sealed record UserView(string Name, bool Admin, bool Disabled, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static UserView From(User u) => new(u.Name, u.IsAdmin, u.IsDisabled, u.CreatedAt, u.UpdatedAt);
}

public sealed record UserCreate(string? Name, string? Password, bool? Admin = null);

/// <summary>Only the fields given change.</summary>
public sealed record UserPatch(bool? Admin, bool? Disabled);

public sealed record PasswordChange(string? Password);
