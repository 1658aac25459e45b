using AuthServer.Core.Policy;

namespace AuthServer.Core.Identity;

public enum PrincipalKind { Anonymous, User, Robot }

/// <summary>How the caller proved who they are; recorded with every decision. IdToken: a CI job's OIDC ID token for a robot (keyless CI).</summary>
public enum CredentialKind { None, Password, RefreshToken, AccessToken, RobotSecret, IdToken }

/// <summary>The authenticated caller of one token request.</summary>
/// <param name="CredentialId">The access token, robot or refresh session that was presented; null for a password.</param>
/// <param name="Limits">What the credential itself may reach (an access token's or robot's scopes); null means no limit.</param>
public sealed record Principal(
    PrincipalKind Kind,
    string Name,
    string? NormalizedName,
    long? UserId,
    bool IsAdmin,
    CredentialKind Credential,
    long? CredentialId = null,
    long? RobotId = null,
    ScopeLimits? Limits = null)
{
    public static readonly Principal Anonymous = new(PrincipalKind.Anonymous, "", null, null, false, CredentialKind.None);

    public bool IsAuthenticated => Kind != PrincipalKind.Anonymous;

    /// <summary>The JWT <c>sub</c>: the account name, empty for anonymous (jwt.md).</summary>
    public string Subject => Name;

    /// <summary>
    /// What <c>${user}</c> stands for in patterns: a user's own name. Robots have none, so the
    /// rules written for people's own namespaces never reach a robot.
    /// </summary>
    public string? PatternUser => Kind == PrincipalKind.User ? NormalizedName : null;

    /// <summary>The user's <see cref="AccountVersion"/> when signed in: tokens bound to the account carry it.</summary>
    public string? AccountVersion { get; init; }

    public static Principal ForUser(User user, CredentialKind credential, long? credentialId = null, ScopeLimits? limits = null) =>
        new(PrincipalKind.User, user.Name, user.NormalizedName, user.Id, user.IsAdmin, credential, credentialId, null, limits)
        {
            AccountVersion = Identity.AccountVersion.Of(user.SecurityStamp),
        };

    /// <summary>A robot is never an administrator: it gets what rules naming it grant, within its own scopes.</summary>
    public static Principal ForRobot(Robot robot, CredentialKind credential, long? credentialId) =>
        new(PrincipalKind.Robot, robot.Name, robot.NormalizedName, null, false, credential, credentialId, robot.Id,
            ScopeLimits.FromStored(robot.ScopeLimits));
}
