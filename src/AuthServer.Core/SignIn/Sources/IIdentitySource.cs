namespace AuthServer.Core.SignIn.Sources;

/// <summary>
/// A place whose users sign in with a password: the local accounts, a directory, later an OpenID
/// Connect provider. <see cref="CredentialChecker"/> asks the configured sources in their order
/// (<see cref="IdentitySourceOptions.Order"/>); the first that claims the name decides. A source
/// that accepts a password provisions the user (so rules, tokens, robots, sessions and audit work
/// unchanged) and answers with that user's <see cref="CachedUser"/>: the checker caches the
/// verified password for it exactly as for a local one, so the warm path asks no source.
/// </summary>
public interface IIdentitySource
{
    /// <summary>The source's name, as in <see cref="Identity.User.Source"/> and the order setting.</summary>
    string Name { get; }

    /// <summary>
    /// Checks a password that no cache holds. Null when the name is not this source's (the next
    /// source is asked); otherwise the outcome, and on success the signed-in user to cache.
    /// </summary>
    /// <param name="user">The provisioned user of that name, whatever its source; null when none exists yet.</param>
    Task<SourceCheck?> CheckPasswordAsync(PasswordCredential password, CachedUser? user, ClientSource source, CancellationToken ct);

    /// <summary>How the source is doing, for the admin API and the operator.</summary>
    IdentitySourceHealth Health { get; }

    /// <summary>Reaches the source's back end once (a directory: the service bind and a search of the user base), recording the outcome in <see cref="Health"/>.</summary>
    Task ProbeAsync(CancellationToken ct);
}

/// <summary>A source's answer: the result, and the user whose verified password may be cached.</summary>
public sealed record SourceCheck(SignInResult Result, CachedUser? Verified = null);
