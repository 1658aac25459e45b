using AuthServer.Core.Identity;

namespace AuthServer.Core.SignIn;

/// <summary>What a password sign-in needs of a user, read once and shared by the requests that follow.</summary>
public sealed class CachedUser
{
    public CachedUser(User user)
    {
        Id = user.Id;
        Name = user.Name;
        PasswordHash = user.PasswordHash;
        IsDisabled = user.IsBlocked;
        Source = user.Source;
        SecurityStamp = user.SecurityStamp;
        Principal = Principal.ForUser(user, CredentialKind.Password);
    }

    public long Id { get; }
    public string Name { get; }
    public string PasswordHash { get; }
    /// <summary>Disabled here or refused by its identity source.</summary>
    public bool IsDisabled { get; }

    /// <summary>The identity source that checks this user's password (<see cref="User.Source"/>).</summary>
    public string Source { get; }
    public string SecurityStamp { get; }

    /// <summary>The caller this user is when a password signs in; immutable, so one serves every request.</summary>
    public Principal Principal { get; }
}
