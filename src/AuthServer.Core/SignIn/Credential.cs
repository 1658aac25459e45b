using AuthServer.Core.Identity;

namespace AuthServer.Core.SignIn;

/// <summary>
/// What a caller presented, its kind decided once, before any work (<see cref="From"/>). A closed
/// set: a password, an access token, a robot secret, a CI job's ID token, a refresh token, or nothing. Not records, so
/// no generated ToString can ever print a secret.
/// </summary>
public abstract class Credential
{
    private protected Credential()
    {
    }

    public abstract CredentialKind Kind { get; }

    /// <summary>The account name presented, as typed; null for a refresh token or nothing.</summary>
    public virtual string? Account => null;

    /// <summary>
    /// High-entropy credentials (256 random bits) cannot be guessed, so no lockout ever refuses
    /// them: locking them by a (often public) login name would only hand anyone a way to stop a
    /// CI pipeline. Passwords can be guessed and are what the lockout guards.
    /// </summary>
    public bool IsGuessable => Kind == CredentialKind.Password;

    public static readonly Credential None = new NoCredential();

    /// <summary>
    /// A name and secret from Basic or a password grant: a name with <c>+</c> is a robot (signing in
    /// with its secret, or keyless with a CI job's ID token, a JWT), a secret
    /// with the access-token prefix is an access token, anything else a password.
    /// </summary>
    public static Credential From(string username, string secret) =>
        RobotNames.IsRobotLogin(username)
            ? Federation.FederatedSignIn.LooksLikeJwt(secret) ? new IdTokenCredential(username, secret) : new RobotSecretCredential(username, secret)
        : Secrets.HasPrefix(secret, Secrets.AccessTokenPrefix) ? new AccessTokenCredential(username, secret)
        : new PasswordCredential(username, secret);

    public override string ToString() => Account is { } account ? $"{Kind} of {account}" : Kind.ToString();
}

public sealed class NoCredential : Credential
{
    internal NoCredential()
    {
    }

    public override CredentialKind Kind => CredentialKind.None;
}

/// <summary>A name and the secret presented with it (Basic or a password grant); the kinds differ only in what checks the secret.</summary>
public abstract class NamedCredential : Credential
{
    // Private protected like Credential's: the set of kinds stays closed to other assemblies.
    private protected NamedCredential(string username) => Account = username;

    public override string Account { get; }
}

public sealed class PasswordCredential(string username, string password) : NamedCredential(username)
{
    public override CredentialKind Kind => CredentialKind.Password;
    public string Password => password;
}

public sealed class AccessTokenCredential(string username, string secret) : NamedCredential(username)
{
    public override CredentialKind Kind => CredentialKind.AccessToken;
    public string Secret => secret;
}

public sealed class RobotSecretCredential(string username, string secret) : NamedCredential(username)
{
    public override CredentialKind Kind => CredentialKind.RobotSecret;
    public string Secret => secret;
}

/// <summary>A CI job's OIDC ID token presented as a robot's password (workload identity federation).</summary>
public sealed class IdTokenCredential(string username, string idToken) : NamedCredential(username)
{
    public override CredentialKind Kind => CredentialKind.IdToken;
    public string IdToken => idToken;
}

/// <summary>A refresh token, valid only for the service its session was started for.</summary>
public sealed class RefreshTokenCredential(string token, string service) : Credential
{
    public override CredentialKind Kind => CredentialKind.RefreshToken;
    public string Token => token;
    public string Service => service;
}
