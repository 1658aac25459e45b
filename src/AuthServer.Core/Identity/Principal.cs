namespace AuthServer.Core.Identity;

public enum PrincipalKind { Anonymous, User }

/// <summary>How the caller proved who they are; recorded with every decision.</summary>
public enum CredentialKind { None, Password, RefreshToken }

/// <summary>The authenticated caller of one token request.</summary>
public sealed record Principal(
    PrincipalKind Kind,
    string Name,
    string? NormalizedName,
    long? UserId,
    bool IsAdmin,
    CredentialKind Credential,
    long? CredentialId = null)
{
    public static readonly Principal Anonymous = new(PrincipalKind.Anonymous, "", null, null, false, CredentialKind.None);

    public bool IsAuthenticated => Kind != PrincipalKind.Anonymous;

    /// <summary>The JWT <c>sub</c>: the account name, empty for anonymous (jwt.md).</summary>
    public string Subject => Name;

    public static Principal ForUser(User user, CredentialKind credential, long? credentialId = null) =>
        new(PrincipalKind.User, user.Name, user.NormalizedName, user.Id, user.IsAdmin, credential, credentialId);
}
