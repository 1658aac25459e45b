using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Tokens;

/// <summary>The caller, or why they were refused (for the log only: the client always sees one message).</summary>
public sealed record AuthenticationResult(Principal? Principal, User? User, string? FailureReason)
{
    public static AuthenticationResult Success(Principal principal, User? user) => new(principal, user, null);
    public static AuthenticationResult Failure(string reason) => new(null, null, reason);
    public bool Succeeded => Principal is not null;
}

/// <summary>
/// Second stage: who is asking. A password is checked with bcrypt; an unknown name costs the same
/// bcrypt work and gets the same answer, so user names cannot be enumerated.
/// </summary>
public sealed class Authenticator(
    AuthServerDbContext db, PasswordHasher hasher, RefreshSessionService sessions, UserService users)
{
    public async Task<AuthenticationResult> AuthenticateAsync(TokenRequest request, CancellationToken ct) =>
        request.Grant switch
        {
            GrantKind.Anonymous => AuthenticationResult.Success(Principal.Anonymous, null),
            GrantKind.Password => await PasswordAsync(request.Username!, request.Password!, ct),
            GrantKind.RefreshToken => await RefreshTokenAsync(request.RefreshToken!, request.Service, ct),
            _ => AuthenticationResult.Failure("unknown grant"),
        };

    private async Task<AuthenticationResult> PasswordAsync(string username, string password, CancellationToken ct)
    {
        var normalized = Names.Normalize(username);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.NormalizedName == normalized, ct);
        if (user is null)
        {
            hasher.VerifyDummy(password);
            return AuthenticationResult.Failure("unknown user");
        }
        if (!hasher.Verify(password, user.PasswordHash)) return AuthenticationResult.Failure("wrong password");
        // Checked after the hash, so a disabled account costs and answers like a wrong password.
        if (user.IsDisabled) return AuthenticationResult.Failure("user disabled");

        if (hasher.NeedsRehash(user.PasswordHash))
            await users.UpgradeHashAsync(user.Id, user.SecurityStamp, password, ct);
        return AuthenticationResult.Success(Principal.ForUser(user, CredentialKind.Password), user);
    }

    private async Task<AuthenticationResult> RefreshTokenAsync(string refreshToken, string service, CancellationToken ct)
    {
        var session = await sessions.FindUsableAsync(refreshToken, service, ct);
        if (session is null) return AuthenticationResult.Failure("refresh token unknown, ended, or for another service");
        return AuthenticationResult.Success(Principal.ForUser(session.User, CredentialKind.RefreshToken, session.Id), session.User);
    }
}
