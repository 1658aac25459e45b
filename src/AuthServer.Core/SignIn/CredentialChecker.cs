using System.Security.Cryptography;
using AuthServer.Core.Federation;
using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using AuthServer.Core.SignIn.Sources;

namespace AuthServer.Core.SignIn;

/// <summary>
/// Checks a user name and secret, whichever credential they are: a user's password (by its identity source), a
/// personal access token (<c>aspat_</c>), a robot's secret (login name <c>owner+name</c>), or a
/// refresh token. The token endpoint uses it, and the admin API will for its Basic sign-in.
/// <para>
/// Nothing in the answer or the work done tells whether an account exists: an unknown user costs
/// the same bcrypt work as a wrong password, an unknown robot or token the same hash and
/// constant-time comparison as a wrong secret, and every failure gets the same answer.
/// </para>
/// </summary>
public sealed class CredentialChecker(
    SecretCredentialCache secrets, PasswordHasher hasher, DummyHashes dummies, UserCache users, VerifiedPasswords verified,
    IdentitySourceSet sources, RefreshSessionChecker sessions, LastUsedRecorder usage, FederatedSignIn federation, TimeProvider time)
{
    // Compared against when no robot has the name, so the unknown and the known cost the same.
    private static readonly byte[] NoSuchSecret = RandomNumberGenerator.GetBytes(32);

    /// <summary>The user a password names, from the cache when warm; null for an unknown name.</summary>
    public ValueTask<CachedUser?> FindUserAsync(PasswordCredential password, CancellationToken ct) =>
        users.FindAsync(Names.Normalize(password.Account), ct);

    /// <summary>
    /// A password bcrypt already accepted for this user in its current state (<see cref="VerifiedPasswords"/>):
    /// signed in without hashing or reading the database; null when it must be checked.
    /// </summary>
    public SignInResult? Recognise(CachedUser? user, PasswordCredential password) =>
        user is { IsDisabled: false } && verified.Contains(user, password.Password) ? SignInResult.Success(user.Principal) : null;

    /// <summary>
    /// Checks a password no cache holds by asking the identity sources in their order; the first
    /// that owns the name decides. A name no source owns costs the same bcrypt work as a local
    /// account (<see cref="DummyHashes"/>) and gets the same answer.
    /// </summary>
    public async Task<SignInResult> CheckPasswordAsync(PasswordCredential password, CachedUser? user, ClientSource source, CancellationToken ct)
    {
        foreach (var identitySource in sources.Ordered)
        {
            if (await identitySource.CheckPasswordAsync(password, user, source, ct) is not { } check) continue;
            if (check is { Result.Succeeded: true, Verified: { } signedIn }) verified.Add(signedIn, password.Password);
            return check.Result;
        }
        var name = Names.Normalize(password.Account);
        var cost = await dummies.CostForAsync(name, ct);
        return await hasher.VerifyDummyAsync(password.Password, cost, source.Key, name) == PasswordVerification.Busy
            ? SignInResult.Overloaded(CredentialKind.Password, password.Account)
            : SignInResult.Failure(CredentialKind.Password, user?.Name ?? password.Account, user is null ? "unknown user" : $"no identity source signs in {user.Source} users");
    }

    /// <summary>Checks a high-entropy credential: an access token, a robot secret or a refresh token.</summary>
    public Task<SignInResult> CheckSecretAsync(Credential credential, CancellationToken ct) => credential switch
    {
        AccessTokenCredential token => AccessTokenAsync(token.Account, token.Secret, ct),
        RobotSecretCredential robot => RobotAsync(robot.Account, robot.Secret, ct),
        IdTokenCredential idToken => FederatedAsync(idToken, ct),
        RefreshTokenCredential refresh => RefreshTokenAsync(refresh.Token, refresh.Service, ct),
        _ => throw new ArgumentException($"{credential.Kind} is not a high-entropy credential", nameof(credential)),
    };

    private async Task<SignInResult> RefreshTokenAsync(string refreshToken, string service, CancellationToken ct)
    {
        var check = await sessions.CheckAsync(refreshToken, service, ct);
        return check.Principal is { } principal
            ? SignInResult.Success(principal)
            : SignInResult.Failure(CredentialKind.RefreshToken, check.Account, check.FailureReason!, check.SessionId);
    }

    private async Task<SignInResult> AccessTokenAsync(string username, string secret, CancellationToken ct)
    {
        var hash = Secrets.Hash(secret);
        var token = await secrets.FindAccessTokenAsync(hash, ct);
        if (token is null || !CryptographicOperations.FixedTimeEquals(token.SecretHash, hash))
            return SignInResult.Failure(CredentialKind.AccessToken, username, "unknown access token");
        // Only under its own user's name: the audit trail and the token's sub then always name the account that acted.
        if (!string.Equals(token.User.NormalizedName, Names.Normalize(username), StringComparison.Ordinal))
            return SignInResult.Failure(CredentialKind.AccessToken, username, "access token of another user", token.Id);
        var now = time.GetUtcNow().UtcDateTime;
        if (token.Refusal(now) is { } refusal) return SignInResult.Failure(CredentialKind.AccessToken, token.User.Name, refusal, token.Id);
        if (token.User.IsBlocked) return SignInResult.Failure(CredentialKind.AccessToken, token.User.Name, "user disabled", token.Id);

        usage.Record(CredentialUse.AccessToken, token.Id, now);
        return SignInResult.Success(
            Principal.ForUser(token.User, CredentialKind.AccessToken, token.Id, ScopeLimits.FromStored(token.ScopeLimits)), token.ExpiresAt);
    }

    private async Task<SignInResult> RobotAsync(string username, string secret, CancellationToken ct)
    {
        var robot = await FindRobotAsync(Names.Normalize(username), ct);
        var matches = Secrets.Matches(secret, robot?.SecretHash ?? NoSuchSecret);
        if (robot is null) return SignInResult.Failure(CredentialKind.RobotSecret, username, "unknown robot");
        if (!matches) return SignInResult.Failure(CredentialKind.RobotSecret, robot.Name, "wrong robot secret", robot.Id);
        var now = time.GetUtcNow().UtcDateTime;
        if (robot.Refusal(now) is { } refusal) return SignInResult.Failure(CredentialKind.RobotSecret, robot.Name, refusal, robot.Id);

        usage.Record(CredentialUse.Robot, robot.Id, now);
        return SignInResult.Success(Principal.ForRobot(robot, CredentialKind.RobotSecret, robot.Id), robot.ExpiresAt);
    }

    /// <summary>
    /// Keyless CI: an ID token for a robot, accepted when a trust for that robot matches it
    /// (<see cref="FederatedSignIn"/>). The robot must exist and be usable like with its secret;
    /// the registry token and any session end no later than the ID token.
    /// </summary>
    private async Task<SignInResult> FederatedAsync(IdTokenCredential credential, CancellationToken ct)
    {
        var normalized = Names.Normalize(credential.Account);
        var check = await federation.CheckAsync(normalized, credential.IdToken, ct);
        if (check.IssuerUnavailable)
            return SignInResult.Unavailable(CredentialKind.IdToken, credential.Account, check.FailureReason!, IssuerRetryAfter);
        if (check.Identity is not { } identity) return SignInResult.Failure(CredentialKind.IdToken, credential.Account, check.FailureReason!);

        var robot = await FindRobotAsync(normalized, ct);
        if (robot is null) return SignInResult.Failure(CredentialKind.IdToken, credential.Account, $"trust '{identity.Trust.Name}' names an unknown robot");
        var now = time.GetUtcNow().UtcDateTime;
        if (robot.Refusal(now) is { } refusal) return SignInResult.Failure(CredentialKind.IdToken, robot.Name, refusal, robot.Id);

        usage.Record(CredentialUse.Robot, robot.Id, now);
        var ends = robot.ExpiresAt is { } robotEnds && robotEnds < identity.ExpiresAt ? robotEnds : identity.ExpiresAt;
        var lifetime = ends - now;
        if (identity.Trust.MaxTokenLifetime is { } max && max < lifetime) lifetime = max;
        return SignInResult.Success(Principal.ForRobot(robot, CredentialKind.IdToken, robot.Id), ends) with
        {
            TokenLifetimeLimit = lifetime,
            MayRefresh = identity.Trust.AllowRefresh,
            AuditDetails = System.Text.Json.JsonSerializer.Serialize(new
            {
                trust = identity.Trust.Name,
                issuer = identity.Issuer,
                subject = identity.Subject,
                claims = identity.MatchedClaims,
            }),
        };
    }

    /// <summary>A robot with its owner (whose state its <see cref="Robot.Refusal"/> reads), by normalized login.</summary>
    private ValueTask<Robot?> FindRobotAsync(string normalized, CancellationToken ct) => secrets.FindRobotAsync(normalized, ct);

    private static readonly TimeSpan IssuerRetryAfter = TimeSpan.FromSeconds(30);
}
