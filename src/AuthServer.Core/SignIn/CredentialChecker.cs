using System.Security.Cryptography;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Core.SignIn;

/// <summary>
/// Checks a user name and secret, whichever credential they are: a user's password (bcrypt), a
/// personal access token (<c>aspat_</c>), a robot's secret (login name <c>owner+name</c>), or a
/// refresh token. The token endpoint uses it, and the admin API will for its Basic sign-in.
/// <para>
/// Nothing in the answer or the work done tells whether an account exists: an unknown user costs
/// the same bcrypt work as a wrong password, an unknown robot or token the same hash and
/// constant-time comparison as a wrong secret, and every failure gets the same answer.
/// </para>
/// </summary>
public sealed class CredentialChecker(
    Deferred<AuthServerDbContext> db, PasswordHasher hasher, UserCache users, VerifiedPasswords verified, PasswordUpgrader upgrader,
    RefreshSessionChecker sessions, LastUsedRecorder usage, TimeProvider time)
{
    // Compared against when no robot has the name, so the unknown and the known cost the same.
    private static readonly byte[] NoSuchSecret = RandomNumberGenerator.GetBytes(32);

    /// <summary>
    /// Which credential a name and secret are, decided before any work: a name with <c>+</c> is a
    /// robot, a secret with the access-token prefix is an access token, anything else a password.
    /// </summary>
    public static CredentialKind KindOf(string username, string secret) =>
        RobotNames.IsRobotLogin(username) ? CredentialKind.RobotSecret
        : Secrets.HasPrefix(secret, Secrets.AccessTokenPrefix) ? CredentialKind.AccessToken
        : CredentialKind.Password;

    public Task<SignInResult> CheckAsync(string username, string secret, CancellationToken ct) => KindOf(username, secret) switch
    {
        CredentialKind.RobotSecret => RobotAsync(username, secret, ct),
        CredentialKind.AccessToken => AccessTokenAsync(username, secret, ct),
        _ => PasswordAsync(username, secret, ct),
    };

    public async Task<SignInResult> CheckRefreshTokenAsync(string refreshToken, string service, CancellationToken ct)
    {
        var check = await sessions.CheckAsync(refreshToken, service, ct);
        return check.Principal is { } principal
            ? SignInResult.Success(principal)
            : SignInResult.Failure(CredentialKind.RefreshToken, check.Account, check.FailureReason!, check.SessionId);
    }

    /// <summary>
    /// A password costs bcrypt once: after a success, the same password of the same user state is
    /// recognised by <see cref="VerifiedPasswords"/> and the user comes from <see cref="UserCache"/>,
    /// so a warm sign-in neither hashes nor reads the database.
    /// </summary>
    private async Task<SignInResult> PasswordAsync(string username, string password, CancellationToken ct)
    {
        var user = await users.FindAsync(Names.Normalize(username), ct);
        if (user is null)
        {
            return await hasher.VerifyDummyAsync(password) == PasswordVerification.Busy
                ? SignInResult.Overloaded(CredentialKind.Password, username)
                : SignInResult.Failure(CredentialKind.Password, username, "unknown user");
        }
        var known = verified.Contains(user, password);
        if (!known)
        {
            switch (await hasher.VerifyAsync(password, user.PasswordHash))
            {
                case PasswordVerification.Busy: return SignInResult.Overloaded(CredentialKind.Password, user.Name);
                case PasswordVerification.Failed: return SignInResult.Failure(CredentialKind.Password, user.Name, "wrong password");
            }
        }
        // Checked after the hash, so a disabled account costs and answers like a wrong password.
        if (user.IsDisabled) return SignInResult.Failure(CredentialKind.Password, user.Name, "user disabled");

        if (!known)
        {
            verified.Add(user, password);
            if (hasher.NeedsRehash(user.PasswordHash)) upgrader.Schedule(user, password);
        }
        return SignInResult.Success(user.Principal);
    }

    private async Task<SignInResult> AccessTokenAsync(string username, string secret, CancellationToken ct)
    {
        var hash = Secrets.Hash(secret);
        var token = await db.Value.AccessTokens.AsNoTracking().Include(t => t.User).SingleOrDefaultAsync(t => t.SecretHash == hash, ct);
        if (token is null || !CryptographicOperations.FixedTimeEquals(token.SecretHash, hash))
            return SignInResult.Failure(CredentialKind.AccessToken, username, "unknown access token");
        // Only under its own user's name: the audit trail and the token's sub then always name the account that acted.
        if (!string.Equals(token.User.NormalizedName, Names.Normalize(username), StringComparison.Ordinal))
            return SignInResult.Failure(CredentialKind.AccessToken, username, "access token of another user", token.Id);
        var now = time.GetUtcNow().UtcDateTime;
        if (token.Refusal(now) is { } refusal) return SignInResult.Failure(CredentialKind.AccessToken, token.User.Name, refusal, token.Id);
        if (token.User.IsDisabled) return SignInResult.Failure(CredentialKind.AccessToken, token.User.Name, "user disabled", token.Id);

        usage.Record(CredentialUse.AccessToken, token.Id, now);
        return SignInResult.Success(
            Principal.ForUser(token.User, CredentialKind.AccessToken, token.Id, ScopeLimits.FromStored(token.ScopeLimits)), token.ExpiresAt);
    }

    private async Task<SignInResult> RobotAsync(string username, string secret, CancellationToken ct)
    {
        var normalized = Names.Normalize(username);
        var robot = await db.Value.Robots.AsNoTracking().Include(r => r.OwnerUser).SingleOrDefaultAsync(r => r.NormalizedName == normalized, ct);
        var matches = Secrets.Matches(secret, robot?.SecretHash ?? NoSuchSecret);
        if (robot is null) return SignInResult.Failure(CredentialKind.RobotSecret, username, "unknown robot");
        if (!matches) return SignInResult.Failure(CredentialKind.RobotSecret, robot.Name, "wrong robot secret", robot.Id);
        var now = time.GetUtcNow().UtcDateTime;
        if (robot.Refusal(now) is { } refusal) return SignInResult.Failure(CredentialKind.RobotSecret, robot.Name, refusal, robot.Id);

        usage.Record(CredentialUse.Robot, robot.Id, now);
        return SignInResult.Success(Principal.ForRobot(robot, CredentialKind.RobotSecret, robot.Id), robot.ExpiresAt);
    }
}
