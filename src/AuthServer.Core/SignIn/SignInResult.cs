using AuthServer.Core.Identity;

namespace AuthServer.Core.SignIn;

/// <summary>
/// The caller, or why they were refused. The reason is for the operator (log and audit) only:
/// the client always sees one message, whatever was wrong.
/// </summary>
/// <param name="Account">The account presented or found, for the audit trail.</param>
/// <param name="CredentialExpiresAt">The expiry of the access token or robot used: a session it starts ends no later.</param>
public sealed record SignInResult(
    Principal? Principal, CredentialKind Credential, string? Account, long? CredentialId, string? FailureReason, DateTime? CredentialExpiresAt = null)
{
    public bool Succeeded => Principal is not null;

    /// <summary>Not decided: the password could not be checked because the hashing queue is full. Not a failed sign-in.</summary>
    public bool Busy { get; private init; }

    public static SignInResult Success(Principal principal, DateTime? credentialExpiresAt = null) =>
        new(principal, principal.Credential, principal.Name, principal.CredentialId, null, credentialExpiresAt);

    public static SignInResult Failure(CredentialKind credential, string? account, string reason, long? credentialId = null) =>
        new(null, credential, account, credentialId, reason);

    /// <summary>Not decided: the password was not checked because the lockout holds guesses back for this long.</summary>
    public TimeSpan? LockedFor { get; private init; }

    public static SignInResult Overloaded(CredentialKind credential, string? account) =>
        new(null, credential, account, null, "password hashing queue full") { Busy = true };

    /// <summary>
    /// Not decided: the identity source that owns the name could not be reached. Not a failed
    /// sign-in (no lockout counts it) and not the server's load: the client may retry after <paramref name="retryAfter"/>.
    /// </summary>
    public static SignInResult Unavailable(CredentialKind credential, string? account, string reason, TimeSpan retryAfter) =>
        new(null, credential, account, null, reason) { SourceUnavailableFor = retryAfter };

    /// <summary>Set when the identity source was unreachable (<see cref="Unavailable"/>): how long the client should wait.</summary>
    public TimeSpan? SourceUnavailableFor { get; private init; }

    /// <summary>The longest registry token this sign-in may get (a federated login: its trust's limit and the ID token's expiry).</summary>
    public TimeSpan? TokenLifetimeLimit { get; init; }

    /// <summary>False when an offline login must not start a refresh session (a federated login whose trust does not allow it).</summary>
    public bool MayRefresh { get; init; } = true;

    /// <summary>What the audit event keeps about how the caller was recognised (a federated login: issuer, subject, matched claims).</summary>
    public string? AuditDetails { get; init; }

    public static SignInResult Locked(CredentialKind credential, string? account, TimeSpan wait) =>
        new(null, credential, account, null, "too many failed sign-ins") { LockedFor = wait };
}
